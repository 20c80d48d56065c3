using System.Net;
using Bridge.Simulator.Improv;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Simulator.SoftAp;

/// <summary>A device in access-point mode as the installer's machine reaches it: an HTTP server
/// (on loopback, a free port, standing in for 192.168.4.1 or 192.168.33.1) with the faults every
/// kind shares — silence, slow answers, a 4 MB answer, a restart (connections refused, then back
/// in setup mode). Given the right settings it "joins": after <see cref="SoftApFaults.JoinDelay"/>
/// it runs <see cref="Joined"/>, which brings its twin onto the LAN (a Tasmota on the broker, a
/// Shelly announcing itself by mDNS, …). Subclasses answer the kind's own endpoints.</summary>
public abstract class SoftApDevice : IAsyncDisposable
{
    private const int MaxRequestBytes = 16 * 1024;

    private readonly CancellationTokenSource _stop = new();
    private WebApplication? _app;
    private volatile bool _rebooting;
    private int _joins;

    protected SoftApDevice(string name, SimulatedAir air, TimeProvider? time)
    {
        Name = name;
        Air = air;
        Time = time ?? TimeProvider.System;
    }

    public string Name { get; }
    public SimulatedAir Air { get; }
    public SoftApFaults Faults { get; } = new();
    protected TimeProvider Time { get; }
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>The device's address as the installer reaches it, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Runs once the device has joined a network; a test or the command line brings its
    /// twin onto the LAN there.</summary>
    public Func<JoinedNetwork, CancellationToken, Task>? Joined { get; set; }

    /// <summary>Settings received (also wrong ones), for tests.</summary>
    public int SettingsReceived => Volatile.Read(ref _settings);
    private int _settings;

    /// <summary>Times the device joined a network.</summary>
    public int Joins => Volatile.Read(ref _joins);

    /// <summary>The kind, as the command line names it (<c>espidf</c>, <c>shelly</c>, <c>tasmota</c>).</summary>
    public abstract string Kind { get; }

    public async Task StartAsync(CancellationToken ct = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxRequestBytes;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri($"http://127.0.0.1:{new Uri(url).Port}/");
        _app = app;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        if (_rebooting)
        {
            ctx.Abort(); // nobody home: the connection is reset
            return;
        }
        if (Faults.Silent)
        {
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stop.Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, Time, gone.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        if (Faults.AnswerDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Faults.AnswerDelay, Time, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (Faults.HugeAnswer)
        {
            ctx.Response.ContentType = "application/octet-stream";
            var chunk = new byte[64 * 1024];
            try
            {
                for (var i = 0; i < 64; i++) await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
            return;
        }
        var body = await ReadBodyAsync(ctx).ConfigureAwait(false);
        if (body is null) return;
        await AnswerAsync(ctx, body).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext ctx)
    {
        try
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }
    }

    /// <summary>Answers one request of the kind's own endpoints.</summary>
    protected abstract Task AnswerAsync(HttpContext ctx, byte[] body);

    /// <summary>Forgets the settings and any session (a restart).</summary>
    protected abstract void Reset();

    /// <summary>Tries the settings against the air after the join delay; joins (running
    /// <see cref="Joined"/>) or reports why not. Runs in the background of the request that applied them.</summary>
    protected async Task<JoinOutcome> JoinAsync(string ssid, string password)
    {
        Interlocked.Increment(ref _settings);
        await Task.Delay(Faults.JoinDelay, Time, _stop.Token).ConfigureAwait(false);
        if (!Air.Scan().Any(n => n.Ssid == ssid)) return JoinOutcome.NetworkNotFound;
        if (!Air.CanJoin(ssid, password)) return JoinOutcome.WrongPassword;
        Interlocked.Increment(ref _joins);
        if (Joined is { } joined) await joined(new JoinedNetwork(ssid, Name), _stop.Token).ConfigureAwait(false);
        return JoinOutcome.Joined;
    }

    /// <summary>Restarts: away for <see cref="SoftApFaults.RebootTime"/>, back in setup mode.</summary>
    protected async Task RebootAsync()
    {
        _rebooting = true;
        Reset();
        try
        {
            await Task.Delay(Faults.RebootTime, Time, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _rebooting = false;
    }

    /// <summary>Runs <paramref name="work"/> in the background, as a device carries on after answering.</summary>
    protected void Background(Func<Task> work) => _ = Task.Run(async () =>
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    });

    public virtual async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
