using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.OutOfProcess;

/// <summary>A newcomer who connects the moment the demo prints its address finds the whole home
/// ready, and is handed the console's address with the token.</summary>
public sealed class DemoReadinessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-ready-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task When_the_demo_prints_its_address_every_device_is_online_and_obeys_at_once()
    {
        await using var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");
        await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
        await using var client = await ApiClient.ConnectAsync(bridge.ApiUrl!, bridge.Token!);
        var devices = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices").EnumerateArray().ToList();
        Assert.True(devices.Count >= 5);
        Assert.All(devices, d => Assert.True(d.GetProperty("online").GetBoolean(), d.GetProperty("id").GetString() + " is offline"));
        // Every device switches on the first try, each confirmed by the device itself.
        foreach (var device in devices)
        {
            var id = device.GetProperty("id").GetString();
            var reply = await client.RequestAsync(new { op = "set", device = id, state = new { power = "on" } });
            Assert.True(reply.GetProperty("ok").GetBoolean(), $"{id}: {reply}");
            Assert.Equal("on", reply.GetProperty("state").GetProperty("power").GetString());
        }
        Assert.DoesNotContain("Not every simulated device was found", bridge.Output);
    }

    [Fact]
    public async Task The_demo_prints_the_console_address_with_its_token_on_the_API_port()
    {
        await using var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");
        await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
        var api = new Uri(bridge.ApiUrl!);
        Assert.Equal($"http://127.0.0.1:{api.Port}/#token={bridge.Token}", bridge.ConsoleUrl);
    }
}
