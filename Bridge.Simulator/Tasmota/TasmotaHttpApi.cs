using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Simulator.Tasmota;

/// <summary>A simulated Tasmota's HTTP command API, as the firmware serves it on port 80 (PROTOCOLS.md,
/// "Tasmota in AP mode and its HTTP command API"): <c>GET /cm?cmnd=&lt;command&gt;</c> (also POST with the
/// same form fields), with <c>user=admin&amp;password=…</c> when a web password is set. Answers are the
/// command's JSON, always with status 200, as Tasmota gives them, warnings included:
/// <c>{"WARNING":"Need user=&lt;username&gt;&amp;password=&lt;password&gt;"}</c> for a missing or wrong password,
/// <c>{"WARNING":"Enter command cmnd="}</c> for none. Loopback only, on a free port.</summary>
public sealed class TasmotaHttpApi : IAsyncDisposable
{
    /// <summary>Tasmota's fixed web user name (WEB_USERNAME).</summary>
    public const string WebUser = "admin";

    private const int MaxCommandChars = 1200;
    private static readonly byte[] NeedPassword = """{"WARNING":"Need user=<username>&password=<password>"}"""u8.ToArray();
    private static readonly byte[] EnterCommand = """{"WARNING":"Enter command cmnd="}"""u8.ToArray();
    private static readonly byte[] Garbage = "<html><head><title>Redirect</title></head><body>\xff\xfe</body>"u8.ToArray();

    private readonly WebApplication _app;
    private readonly TasmotaDevice _device;

    private TasmotaHttpApi(WebApplication app, TasmotaDevice device, IPEndPoint endPoint)
    {
        _app = app;
        _device = device;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public TasmotaDevice Device => _device;

    public static async Task<TasmotaHttpApi> StartAsync(TasmotaDevice device, IPAddress? address = null, CancellationToken ct = default)
    {
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address)) throw new ArgumentException("The simulator serves the HTTP API on loopback only.", nameof(address));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 16 * 1024;
            k.Listen(address, 0);
        });
        var app = builder.Build();
        TasmotaHttpApi? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync(ct).ConfigureAwait(false);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new TasmotaHttpApi(app, device, new IPEndPoint(address, new Uri(url).Port));
        return server;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        if (ctx.Request.Path.Value != "/cm" || !(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsPost(ctx.Request.Method)))
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var args = await ArgsAsync(ctx).ConfigureAwait(false);
        if (_device.Faults.ShouldDrop())
        {
            await UnansweredAsync(ctx).ConfigureAwait(false);
            return;
        }
        if (_device.Faults.ReplyDelay > TimeSpan.Zero) await Task.Delay(_device.Faults.ReplyDelay, ctx.RequestAborted).ConfigureAwait(false);
        if (_device.WebFaults.GarbageAnswers)
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.Body.WriteAsync(Garbage, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }
        ctx.Response.ContentType = "application/json";
        var password = _device.WebPassword;
        if (password.Length > 0 && !(args.Get("user") == WebUser && args.Get("password") == password))
        {
            await ctx.Response.Body.WriteAsync(NeedPassword, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }
        var command = args.Get("cmnd");
        if (string.IsNullOrWhiteSpace(command) || command.Length >= MaxCommandChars)
        {
            await ctx.Response.Body.WriteAsync(EnterCommand, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }
        var answer = await _device.RunWebCommandAsync(command, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.WriteAsync(answer, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request's arguments: the query, and for a form POST its fields too (the firmware's
    /// web server reads both).</summary>
    private static async Task<Args> ArgsAsync(HttpContext ctx)
    {
        IFormCollection? form = null;
        if (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.HasFormContentType)
        {
            try
            {
                form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
            {
            }
        }
        return new Args(ctx.Request.Query, form);
    }

    private readonly record struct Args(IQueryCollection Query, IFormCollection? Form)
    {
        public string? Get(string name) =>
            Query.TryGetValue(name, out var q) ? q.ToString() : Form is not null && Form.TryGetValue(name, out var f) ? f.ToString() : null;
    }

    /// <summary>An ignored request: the connection stays open, unanswered, until the caller gives up.</summary>
    private static async Task UnansweredAsync(HttpContext ctx)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(patience.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
