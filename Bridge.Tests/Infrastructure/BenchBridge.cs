using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bridge.Tests.Infrastructure;

/// <summary>The bridge in a process of its own, as a user runs it, for the idle benchmarks: its CPU time is then
/// the bridge's alone, apart from the simulated devices and the test that stay in this process. An install token
/// is minted with the bridge's own <c>token</c> command into its fresh data directory; never printed.</summary>
public sealed partial class BenchBridge : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dir;

    private BenchBridge(BridgeProcess process, ApiClient client, string dir)
    {
        Process = process;
        Client = client;
        _dir = dir;
    }

    public BridgeProcess Process { get; }
    /// <summary>A client with the install scope.</summary>
    public ApiClient Client { get; }

    /// <summary>Starts the bridge (no demo, free API and broker ports, no beacon) with <paramref name="args"/> added.</summary>
    public static async Task<BenchBridge> StartAsync(params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("bench-bridge-").FullName;
        string token;
        await using (var mint = BridgeProcess.Start("token", "--name", "bench", "--scope", "install", $"--Data:Dir={dir}"))
        {
            Assert.Equal(0, await mint.WaitExitAsync(StartTimeout));
            token = mint.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => Jwt().IsMatch(l)) ?? throw new InvalidOperationException("the token command printed no token");
        }
        var process = BridgeProcess.Start([$"--Data:Dir={dir}", "--Api:Port=0", "--Mqtt:Port=0", "--Discovery:BeaconPort=0", .. args]);
        try
        {
            await process.WaitReadyAsync(expectToken: false, StartTimeout);
            return new BenchBridge(process, await ApiClient.ConnectAsync(process.ApiUrl!, token), dir);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <c>discovered</c> lists every one of <paramref name="ids"/>, asking the bridge over its API.</summary>
    public Task UntilFoundAsync(IReadOnlyCollection<string> ids, TimeSpan timeout) =>
        Wait.UntilAsync(async () =>
        {
            var found = (await Client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray()
                .Select(f => f.GetProperty("id").GetString()).ToHashSet();
            return ids.All(found.Contains);
        }, timeout, $"{ids.Count} devices in 'discovered'");

    /// <summary>The bridge's CPU time so far (user and system).</summary>
    public TimeSpan Cpu()
    {
        Process.Process.Refresh();
        return Process.Process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")]
    private static partial Regex Jwt();
}
