using System.Net;
using Bridge.Service.Api;
using Bridge.Service.Demo;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Bridge.Service.Security;
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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        BridgeConfiguration.Apply(builder.Configuration, rest, demo);

        problems.AddRange(StartupProblems.Collect(builder.Configuration));
        var devicesOptions = new DevicesOptions();
        builder.Configuration.GetSection(DevicesOptions.Section).Bind(devicesOptions);
        var profiles = ProfileCatalog.Load(devicesOptions.ResolvedProfileDir, problems);
        if (problems.Count > 0) return null;

        var apiOptions = new ApiOptions();
        builder.Configuration.GetSection(ApiOptions.Section).Bind(apiOptions);
        var metricsOptions = new Metrics.MetricsOptions();
        builder.Configuration.GetSection(Metrics.MetricsOptions.Section).Bind(metricsOptions);
        var metricsListener = metricsOptions.SeparateFrom(apiOptions);
        // The API's listener first: its address is the first the server reports (ApiUrl, the mDNS announcement).
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(apiOptions.Bind), apiOptions.Port);
            Metrics.MetricsListener.Listen(k, metricsListener);
        });
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
        web.Services.GetRequiredService<DriverCatalog>().Validate(profiles, problems);
        // Accounts by hand name password files and protocols: a problem there stops the start like any setting.
        if (web.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Mqtt.MqttOptions>>().Value.Embedded)
            web.Services.GetRequiredService<Mqtt.Accounts.AccountBook>().Load(problems);
        if (problems.Count > 0)
        {
            ((IDisposable)web).Dispose();
            return null;
        }
        Metrics.MetricsListener.UseMetricsListener(web, metricsListener is not null);
        web.MapBridgeApi();
        return new BridgeApp(web);
    }

    /// <summary>Starts everything; with a demo home, returns once the bridge has found it.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await Web.StartAsync(ct).ConfigureAwait(false);
        await Services.GetRequiredService<DemoHome>().WaitFoundAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The WebSocket URL with the real port (Api:Port=0 picks one).</summary>
    public string ApiUrl
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1"));
            return $"ws://{uri.Host}:{uri.Port}{ApiOptions.Path}";
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
