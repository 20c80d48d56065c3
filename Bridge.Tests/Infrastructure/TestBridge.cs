using Bridge.Simulator.Home;
using Bridge.Service.Demo;
using Bridge.Service.Hosting;
using Bridge.Service.Security;
using Bridge.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Infrastructure;

/// <summary>The real bridge host in-process: embedded broker on a free port, API on a free port,
/// a fresh data directory, and (with --demo) the simulated home.</summary>
public sealed class TestBridge : IAsyncDisposable
{
    private TestBridge(BridgeApp app, string dataDir, bool ownsDataDir)
    {
        App = app;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    private readonly bool _ownsDataDir;

    public BridgeApp App { get; }
    public string DataDir { get; }
    public string Url => App.ApiUrl;
    public SimulatedHome Home => App.Services.GetRequiredService<DemoHome>().Home ?? throw new InvalidOperationException("no demo home");

    public static Task<TestBridge> StartAsync(string? dataDir = null, bool demo = true, params string[] extra) =>
        StartAsync(dataDir, demo, null, extra);

    public static async Task<TestBridge> StartAsync(string? dataDir, bool demo, Action<IServiceCollection>? services, params string[] extra)
    {
        var owns = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("bridge-test-").FullName;
        var args = new List<string> { "--Api:Bind=127.0.0.1", "--Api:Port=0", "--Mqtt:Bind=127.0.0.1", "--Mqtt:Port=0", $"--Data:Dir={dataDir}" };
        if (demo) args.Add("--demo");
        args.AddRange(extra);
        var problems = new List<string>();
        var app = BridgeApp.Create(args.ToArray(), problems, services) ?? throw new InvalidOperationException(string.Join("; ", problems));
        await app.StartAsync();
        return new TestBridge(app, dataDir, owns);
    }

    public string Token(TokenScope scope = TokenScope.Control) => App.MintToken("test", scope);

    public Task<ApiClient> ConnectAsync(TokenScope scope = TokenScope.Control) => ApiClient.ConnectAsync(Url, Token(scope));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_ownsDataDir)
        {
            try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>One demo bridge shared by a test class.</summary>
public sealed class DemoBridgeFixture : IAsyncLifetime
{
    public TestBridge Bridge { get; private set; } = null!;

    public async Task InitializeAsync() => Bridge = await TestBridge.StartAsync();

    public async Task DisposeAsync() => await Bridge.DisposeAsync();
}
