using Bridge.Relay.Admission;
using Bridge.Relay.Settings;
using System.Net;
using System.Text;
using Bridge.Relay.Backplane;
using Bridge.Relay.Backplane.Redis;
using Bridge.Relay.Clients;
using Bridge.Relay.Links;
using Bridge.Relay.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bridge.Relay.Hosting;

/// <summary>A configured relay node. The program runs one; tests start them in-process.</summary>
public sealed class RelayApp : IAsyncDisposable
{
    private RelayApp(WebApplication web) => Web = web;

    public WebApplication Web { get; }
    public IServiceProvider Services => Web.Services;

    /// <summary>Builds the node; null with every problem listed when the configuration is bad.
    /// Settings: appsettings.json, <c>RELAY__Section__Key</c> variables, <c>--Relay:Key=value</c>.</summary>
    public static RelayApp? Create(string[] args, List<string> problems, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables("RELAY__");
        builder.Configuration.AddCommandLine(args);

        var options = new RelayOptions();
        try
        {
            builder.Configuration.GetSection(RelayOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{RelayOptions.Section}: {e.InnerException?.Message ?? e.Message}");
            return null;
        }
        problems.AddRange(options.Validate());
        if (problems.Count > 0) return null;

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(options.Bind), options.Port);
            // Slowloris: an upgrade request must arrive whole, promptly.
            k.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // stdout carries only the ready line; the log goes to stderr.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<RelayOptions>(builder.Configuration.GetSection(RelayOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BackplaneMetrics>();
        if (options.UsesRedis) builder.Services.AddRedisBackplane();
        else builder.Services.AddSingleton<IRelayBackplane, InMemoryBackplane>();
        builder.Services.AddSingleton<LinkRegistry>();
        builder.Services.AddSingleton<AddressLimiter>();
        builder.Services.AddSingleton<TokenRateLimiter>();
        builder.Services.AddSingleton<HandshakeRateLimit>();
        builder.Services.AddSingleton<RelayMetrics>();
        configureServices?.Invoke(builder.Services);

        var web = builder.Build();
        web.UseHandshakeRateLimit();
        web.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.KeepAlive, KeepAliveTimeout = options.KeepAlive });
        web.MapGet("/healthz", () => Results.Text("ok\n"));
        web.MapGet("/metrics", (RelayMetrics metrics, BackplaneMetrics backplane) =>
        {
            var text = new StringBuilder(metrics.Render());
            backplane.Render(text);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });
        web.MapBridgeLinks();
        web.MapClients();
        return new RelayApp(web);
    }

    public Task StartAsync(CancellationToken ct = default) => Web.StartAsync(ct);

    /// <summary>The base URL with the real port (Relay:Port=0 picks one).</summary>
    public string Url
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1"));
            return $"ws://{uri.Host}:{uri.Port}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await Web.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await Web.DisposeAsync().ConfigureAwait(false);
    }
}
