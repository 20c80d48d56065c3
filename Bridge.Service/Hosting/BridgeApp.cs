using Bridge.Service.StartupChecks;
using System.Net;
using Bridge.Service.Api;
using Bridge.Service.Metrics;
using Bridge.Service.Demo;
using Bridge.Service.Devices;
using Bridge.Service.Security;
using Bridge.Service.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog;
using Serilog.Events;

namespace Bridge.Service.Hosting;

/// <summary>A configured bridge host, before and after start. The program runs one; integration
/// tests start several in-process.</summary>
public sealed class BridgeApp : IAsyncDisposable
{
    private BridgeApp(WebApplication web) => Web = web;

    public WebApplication Web { get; }
    public IServiceProvider Services => Web.Services;
    public string BridgeId => Services.GetRequiredService<BridgeIdentity>().Id;

    /// <summary>Builds the host from arguments; null with every problem listed when the configuration is bad.</summary>
    public static BridgeApp? Create(string[] args, List<string> problems, Action<IServiceCollection>? configureServices = null)
    {
        var (demo, rest) = BridgeConfiguration.TakeDemoFlag(args);
        // ApplicationName names the static web assets manifests of the console (also when a test host runs the bridge).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(BridgeApp).Assembly.GetName().Name,
        });
        // The console's files from a build's manifest (source and obj/ paths); a published bridge has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        BridgeConfiguration.Apply(builder.Configuration, rest, demo);
        ConsoleEndpoints.ServeAssetsAsBuilt(builder.Configuration, builder.Environment);

        var profiles = ProfileCatalog.Load(Serial.SerialOptions.ProfileDirOf(builder.Configuration), problems);

        var metricsListener = MetricsListener.Of(builder.Configuration);
        // Kestrel's options are built with the host, before the options checks run: a bad address
        // here is left to those checks to report.
        builder.WebHost.ConfigureKestrel(k =>
        {
            var api = new ApiOptions();
            try { builder.Configuration.GetSection(ApiOptions.Section).Bind(api); }
            catch (InvalidOperationException) { return; }
            if (IPAddress.TryParse(api.Bind, out var bind) && api.Port is >= 0 and <= 65535) k.Listen(bind, api.Port);
            // After the API's: the API's address is the first the server reports (ApiUrl, the mDNS announcement).
            MetricsListener.Listen(k, metricsListener);
        });
        // Kestrel runs a connection's I/O and the application's code for it on one thread, instead of
        // hopping from the socket's completion to its I/O queue to the pool and back for each frame
        // (docs/benchmarks.md, "Issue #9": 1 × 1 p50 −35 µs, 10 × 100 CPU per command −16 % with the
        // broker link's own reader thread). "Unsafe" because a handler that blocks holds its own
        // connection's reads; the thread is still a pool thread: the socket engine hands completions
        // to the pool, since the bridge leaves DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS unset.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        builder.Host.UseSystemd();
        // Serilog writes the console; the default console provider would print everything twice.
        // preserveStaticLogger: each host keeps its own logger, instead of every host in the process
        // writing through the static Log.Logger of whichever host was built last.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((_, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("MQTTnet", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose), preserveStaticLogger: true, writeToProviders: true);
        builder.Services.AddBridge(builder.Configuration, profiles);
        configureServices?.Invoke(builder.Services);

        var web = builder.Build();
        // Every options section (each by its own validators) and every profile's driver, all at once.
        problems.AddRange(ValidatedOptions.Collect(web.Services));
        if (problems.Count > 0)
        {
            ((IDisposable)web).Dispose();
            return null;
        }
        web.UseWebSecurity();
        web.UseMetricsListener(metricsListener is not null);
        web.UseConsoleIndex();
        web.UseRouting();
        web.MapBridgeApi();
        Metrics.BridgeHealthEndpoint.MapBridgeHealth(web);
        web.MapConsole();
        return new BridgeApp(web);
    }

    /// <summary>Starts everything; with a demo home, returns once the bridge has found it.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await Web.StartAsync(ct).ConfigureAwait(false);
        await Services.GetRequiredService<DemoHome>().WaitFoundAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The WebSocket URL with the real port (Api:Port=0 picks one).</summary>
    public string ApiUrl => $"ws://{ListenAuthority}{ApiOptions.Path}";

    /// <summary>The web console's address (the same port as the API).</summary>
    public string ConsoleUrl => $"http://{ListenAuthority}/";

    private string ListenAuthority
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1"));
            return $"{uri.Host}:{uri.Port}";
        }
    }

    public string MintToken(string name, TokenScope scope, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<TokenService>().Mint(name, scope, lifetime ?? TimeSpan.FromDays(1));

    public async ValueTask DisposeAsync()
    {
        try { await Web.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await Web.DisposeAsync().ConfigureAwait(false);
    }
}
