using System.Globalization;
using System.Text.Json;
using Bridge.Simulator.LoadGen;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Simulator.LoadGen;

/// <summary>The load generator end to end, against <see cref="FakeBridgeServer"/>.</summary>
public sealed class LoadGenCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MeasuresCommandsToDiscoveredPowerDevices()
    {
        await using var bridge = NewBridge();

        (int exit, JsonElement result, string stderr) = await RunAsync(
            "--url", bridge.Url, "--token", "secret", "--connections", "3", "--inflight", "4", "--count", "200");

        Assert.True(exit == 0, stderr);
        Assert.Equal(200, result.GetProperty("count").GetInt64());
        Assert.Equal(20, result.GetProperty("warmup").GetInt64());
        Assert.Equal(0, result.GetProperty("errors").GetInt64());
        Assert.Empty(result.GetProperty("error_codes").EnumerateObject());
        Assert.Equal(3, result.GetProperty("connections").GetInt32());
        Assert.Equal(4, result.GetProperty("inflight").GetInt32());
        Assert.Equal(2, result.GetProperty("devices").GetInt32());
        Assert.True(result.GetProperty("commands_per_s").GetDouble() > 0);
        long p50 = result.GetProperty("p50_us").GetInt64();
        long p90 = result.GetProperty("p90_us").GetInt64();
        long p99 = result.GetProperty("p99_us").GetInt64();
        long max = result.GetProperty("max_us").GetInt64();
        Assert.True(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= max, $"{p50} {p90} {p99} {max}");

        // Only the online devices with power, one command at a time each, every command a change.
        Assert.Equal(220, bridge.Sets);
        Assert.Equal(3, bridge.Connected);
        Assert.Equal(0, bridge.ConcurrencyViolations);
        Assert.Equal(0, bridge.Unchanged);
        IReadOnlyDictionary<string, int> perDevice = bridge.SetsPerDevice;
        Assert.Equal(220, perDevice["lamp-1"] + perDevice["lamp-2"]);
        Assert.InRange(perDevice["lamp-1"], 80, 140);
        Assert.Equal(0, perDevice["sensor-1"]);
        Assert.Equal(0, perDevice["plug-off"]);
    }

    [Fact]
    public async Task SpreadsInFlightCommandsOverManyDevices()
    {
        await using var bridge = new FakeBridgeServer("secret");
        for (int i = 0; i < 12; i++)
        {
            bridge.AddDevice($"dev-{i:00}", hasPower: true, powerOn: i % 2 == 0);
        }

        (int exit, JsonElement result, string stderr) = await RunAsync(
            "--url", bridge.Url, "--token", "secret", "--connections", "2", "--inflight", "5", "--count", "300", "--warmup", "0");

        Assert.True(exit == 0, stderr);
        Assert.Equal(0, result.GetProperty("errors").GetInt64());
        Assert.Equal(0, result.GetProperty("warmup").GetInt64());
        Assert.Equal(300, bridge.Sets);
        Assert.Equal(0, bridge.ConcurrencyViolations);
        Assert.Equal(0, bridge.Unchanged);
        // 25 each on average; replies finish out of order on a busy machine, so allow a wide
        // band: what matters is that no device is starved or hogged.
        Assert.Equal(12, bridge.SetsPerDevice.Count);
        Assert.All(bridge.SetsPerDevice.Values, n => Assert.InRange(n, 8, 45));
    }

    [Fact]
    public async Task TalliesErrorCodes()
    {
        await using var bridge = NewBridge();
        bridge.Failures["lamp-2"] = "device_offline";

        (int exit, JsonElement result, string stderr) = await RunAsync(
            "--url", bridge.Url, "--token", "secret", "--inflight", "2", "--count", "100", "--warmup", "0",
            "--devices", "lamp-1,lamp-2,ghost");

        Assert.True(exit == 0, stderr);
        Assert.Contains("ghost", stderr, StringComparison.Ordinal);
        long errors = result.GetProperty("errors").GetInt64();
        JsonElement codes = result.GetProperty("error_codes");
        long offline = codes.GetProperty("device_offline").GetInt64();
        long unknown = codes.GetProperty("unknown_device").GetInt64();
        Assert.Equal(errors, offline + unknown);
        Assert.InRange(errors, 50, 84);
        Assert.True(offline > 0 && unknown > 0);
        Assert.Equal(100, bridge.Sets);
    }

    [Fact]
    public async Task SceneSendsOneSetToEveryDeviceAtOnce()
    {
        await using var bridge = NewBridge();
        bridge.Failures["plug-off"] = "device_offline";

        (int exit, JsonElement result, string stderr) = await RunAsync(
            "--url", bridge.Url, "--token", "secret", "--scene", "--devices", "lamp-1,lamp-2,plug-off");

        Assert.True(exit == 0, stderr);
        Assert.Equal(3, result.GetProperty("scene_devices").GetInt32());
        Assert.Equal(1, result.GetProperty("errors").GetInt64());
        Assert.Equal(1, result.GetProperty("error_codes").GetProperty("device_offline").GetInt64());
        Assert.True(result.GetProperty("all_confirmed_us").GetInt64() > 0);
        Assert.Equal(3, bridge.Sets);
        Assert.Equal(1, bridge.Connected);
        Assert.Equal(0, bridge.Unchanged);
    }

    [Fact]
    public async Task SceneWithoutDeviceListUsesDiscoveredPowerDevices()
    {
        await using var bridge = NewBridge();

        (int exit, JsonElement result, string stderr) = await RunAsync("--url", bridge.Url, "--token", "secret", "--scene");

        Assert.True(exit == 0, stderr);
        Assert.Equal(2, result.GetProperty("scene_devices").GetInt32());
        Assert.Equal(0, result.GetProperty("errors").GetInt64());
    }

    [Fact]
    public async Task WrongTokenIsAConnectionFailure()
    {
        await using var bridge = NewBridge();
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);

        int exit = await Wait.ForAsync(
            LoadGenCommand.RunAsync(["--url", bridge.Url, "--token", "wrong", "--count", "10"], stdout, stderr, CancellationToken.None),
            RunTimeout, "loadgen with a wrong token");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout.ToString());
        Assert.Contains("cannot connect", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListeningIsAConnectionFailure()
    {
        int port = FreePort.GetTcp();
        var stderr = new StringWriter(CultureInfo.InvariantCulture);

        int exit = await Wait.ForAsync(
            LoadGenCommand.RunAsync(
                ["--url", $"ws://127.0.0.1:{port}/api/v1/ws", "--token", "t"], TextWriter.Null, stderr, CancellationToken.None),
            RunTimeout, "loadgen without a bridge");

        Assert.Equal(1, exit);
        Assert.Contains("cannot connect", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArgumentsExitWithTwo()
    {
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int exit = await LoadGenCommand.RunAsync(["--token", "t", "--count", "zero"], TextWriter.Null, stderr, CancellationToken.None);
        Assert.Equal(2, exit);
        Assert.Contains("usage: loadgen", stderr.ToString(), StringComparison.Ordinal);
    }

    private static FakeBridgeServer NewBridge()
    {
        var bridge = new FakeBridgeServer("secret");
        bridge.AddDevice("lamp-1", hasPower: true, powerOn: false);
        bridge.AddDevice("lamp-2", hasPower: true, powerOn: true);
        bridge.AddDevice("sensor-1", hasPower: false, powerOn: false);
        bridge.AddDevice("plug-off", hasPower: true, powerOn: false, online: false);
        return bridge;
    }

    private static async Task<(int Exit, JsonElement Result, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int exit = await Wait.ForAsync(
            LoadGenCommand.RunAsync(args, stdout, stderr, CancellationToken.None), RunTimeout, "the load generator to finish");
        string[] lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one JSON line, got: {stdout}{Environment.NewLine}stderr: {stderr}");
        using JsonDocument doc = JsonDocument.Parse(lines[0]);
        return (exit, doc.RootElement.Clone(), stderr.ToString());
    }
}
