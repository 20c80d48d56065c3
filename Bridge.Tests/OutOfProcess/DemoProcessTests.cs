using System.Text.Json;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.OutOfProcess;

/// <summary>What a newcomer sees running the demo, and what a crash leaves behind.</summary>
public sealed class DemoProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_demo_prints_its_url_and_a_token_that_works()
    {
        await using var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");
        await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
        Assert.Matches("^[a-z2-7]{16}$", bridge.BridgeId);
        // Each event is logged once, in the structured format (no second console provider).
        Assert.Single(bridge.Output.Split('\n'), l => l.Contains("Device lamp-1 is online"));
        Assert.DoesNotContain("info: Bridge.Service", bridge.Output);
        await using var client = await ApiClient.ConnectAsync(bridge.ApiUrl!, bridge.Token!);
        var devices = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices");
        Assert.True(devices.GetArrayLength() >= 5);
        var on = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } });
        JsonAssert.Ok(on);
        // The token appears on its own line and in the console's address only; the private key never.
        Assert.DoesNotContain(bridge.Token!, bridge.Output.Replace("Access token: " + bridge.Token, "").Replace("#token=" + bridge.Token, ""));
        using var identity = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "identity.json")));
        var key = identity.RootElement.GetProperty("key").GetString()!;
        Assert.DoesNotContain(key[..40], bridge.Output);
    }

    [Fact]
    public async Task Bad_configuration_lists_every_problem_and_exits_2()
    {
        await using var bridge = BridgeProcess.Start("--Api:Port=99999", "--Mqtt:Url=ftp://x", $"--Data:Dir={_dir}");
        Assert.Equal(2, await bridge.WaitExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Api:Port", bridge.Output);
        Assert.Contains("Mqtt:Url", bridge.Output);
    }

    [Fact]
    public async Task Settings_come_from_BRIDGE_environment_variables_and_arguments_win()
    {
        var env = new Dictionary<string, string> { ["BRIDGE__Api__Port"] = "99999", ["BRIDGE__Commands__ConfirmTimeout"] = "00:00:00" };
        await using (var bad = BridgeProcess.StartWithEnvironment(env, $"--Data:Dir={_dir}"))
        {
            Assert.Equal(2, await bad.WaitExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Api:Port", bad.Output);
            Assert.Contains("Commands:ConfirmTimeout", bad.Output);
        }
        // A command-line argument overrides the environment.
        await using var good = BridgeProcess.StartWithEnvironment(env, "--demo", "--Api:Port=0", "--Mqtt:Port=0",
            "--Commands:ConfirmTimeout=00:00:05", $"--Data:Dir={_dir}");
        await good.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task The_token_command_prints_a_token_alone_that_the_bridge_accepts()
    {
        await using var mint = BridgeProcess.Start("token", "--name", "phone", "--scope", "install", $"--Data:Dir={_dir}");
        Assert.Equal(0, await mint.WaitExitAsync(TimeSpan.FromSeconds(60)));
        var token = mint.Output.Trim();
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", token);

        await using var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");
        await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
        await using var client = await ApiClient.ConnectAsync(bridge.ApiUrl!, token);
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task SIGTERM_stops_the_bridge_cleanly_with_exit_code_0()
    {
        await using var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");
        await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
        bridge.Terminate();
        Assert.Equal(0, await bridge.WaitExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Unhandled exception", bridge.Output);
    }

    [Fact]
    public async Task A_kill_9_while_state_changes_loses_nothing_already_saved()
    {
        await using (var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}"))
        {
            await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
            await using var client = await ApiClient.ConnectAsync(bridge.ApiUrl!, bridge.Token!);
            var file = Path.Combine(_dir, "devices.json");
            await Bridge.Tests.Infrastructure.Wait.UntilAsync(() => File.Exists(file), TimeSpan.FromSeconds(10), "devices.json written");
            // Keep the bridge saving while it is killed.
            for (var i = 1; i <= 30; i++)
                JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = i } }));
            bridge.Kill9();
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "devices.json")));
        var ids = doc.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Contains("lamp-1", ids);
        Assert.Contains("ac-1", ids);
        Assert.Contains("tuya-" + Bridge.Simulator.Tuya.TuyaDemo.BulbDevId, ids); // adopted by the demo, with its key in the secret store
        Assert.Equal(9, ids.Count);
    }
}
