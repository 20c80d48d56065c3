using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Simulator.Shelly;

/// <summary>A simulated Shelly's local RPC over HTTP, as a Gen2 device serves it on port 80
/// (PROTOCOLS.md §3.4): <c>POST /rpc</c> with a JSON-RPC frame (answered with a frame, errors inside it)
/// and <c>GET /rpc/&lt;Method&gt;?key=value</c> (answered with the bare result, or the error with status
/// 500). Loopback only, on a free port.</summary>
public sealed class ShellyHttpRpc : IAsyncDisposable
{
    private const int MaxRequestBytes = 16 * 1024;

    private readonly WebApplication _app;
    private readonly ShellyDevice _device;

    private ShellyHttpRpc(WebApplication app, ShellyDevice device, IPEndPoint endPoint)
    {
        _app = app;
        _device = device;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<ShellyHttpRpc> StartAsync(ShellyDevice device, IPAddress? address = null, CancellationToken ct = default)
    {
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address)) throw new ArgumentException("The simulator serves local RPC on loopback only.", nameof(address));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxRequestBytes;
            k.Listen(address, 0);
        });
        var app = builder.Build();
        ShellyHttpRpc? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync(ct).ConfigureAwait(false);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ShellyHttpRpc(app, device, new IPEndPoint(address, new Uri(url).Port));
        return server;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (HttpMethods.IsPost(ctx.Request.Method) && path == "/rpc") await PostAsync(ctx).ConfigureAwait(false);
        else if (HttpMethods.IsGet(ctx.Request.Method) && path.StartsWith("/rpc/", StringComparison.Ordinal) && path.Length > 5)
            await GetAsync(ctx, path[5..]).ConfigureAwait(false);
        else ctx.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private async Task PostAsync(HttpContext ctx)
    {
        JsonDocument frame;
        try
        {
            frame = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using (frame)
        {
            var root = frame.RootElement;
            var method = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (method is null)
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            var p = root.TryGetProperty("params", out var pp) ? pp : default;
            var result = await _device.InvokeLocalAsync(method, p, ctx.RequestAborted).ConfigureAwait(false);
            if (result is null)
            {
                await UnansweredAsync(ctx).ConfigureAwait(false);
                return;
            }
            ctx.Response.ContentType = "application/json";
            await using var w = new Utf8JsonWriter(ctx.Response.Body);
            w.WriteStartObject();
            if (root.TryGetProperty("id", out var id))
            {
                w.WritePropertyName("id");
                id.WriteTo(w);
            }
            w.WriteString("src", _device.Id);
            if (root.TryGetProperty("src", out var src) && src.ValueKind == JsonValueKind.String) w.WriteString("dst", src.GetString());
            WriteOutcome(w, result);
            w.WriteEndObject();
        }
    }

    private async Task GetAsync(HttpContext ctx, string method)
    {
        using var args = QueryAsParams(ctx.Request.Query);
        var result = await _device.InvokeLocalAsync(method, args.RootElement, ctx.RequestAborted).ConfigureAwait(false);
        if (result is null)
        {
            await UnansweredAsync(ctx).ConfigureAwait(false);
            return;
        }
        ctx.Response.ContentType = "application/json";
        if (result.Error is { } e)
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await using var w = new Utf8JsonWriter(ctx.Response.Body);
            WriteError(w, e);
            return;
        }
        await ctx.Response.Body.WriteAsync(result.Result, ctx.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteOutcome(Utf8JsonWriter w, LocalRpcResult result)
    {
        if (result.Error is { } e)
        {
            w.WritePropertyName("error");
            WriteError(w, e);
            return;
        }
        w.WritePropertyName("result");
        w.WriteRawValue(result.Result!, skipInputValidation: true);
    }

    private static void WriteError(Utf8JsonWriter w, RpcError e)
    {
        w.WriteStartObject();
        w.WriteNumber("code", e.Code);
        w.WriteString("message", e.Message);
        w.WriteEndObject();
    }

    /// <summary><c>?id=0&amp;on=true&amp;name="x"</c> → <c>{"id":0,"on":true,"name":"x"}</c>: values that read as JSON
    /// are taken as such, the rest as text (what devices accept).</summary>
    private static JsonDocument QueryAsParams(IQueryCollection query)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (key, values) in query)
            {
                var text = values.ToString();
                w.WritePropertyName(key);
                try
                {
                    using var value = JsonDocument.Parse(text);
                    value.RootElement.WriteTo(w);
                }
                catch (JsonException)
                {
                    w.WriteStringValue(text);
                }
            }
            w.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.ToArray());
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
