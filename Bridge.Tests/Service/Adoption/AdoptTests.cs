using System.Collections.Concurrent;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Adoption;

/// <summary><c>op:"adopt"</c> against simulated Shelly devices on real sockets: the bridge's embedded
/// broker, the device's local RPC over HTTP, the Shelly driver on MQTT. Discovery is handed the device
/// as the mDNS querier would (the mDNS path itself: <see cref="AdoptOverMdnsTests"/>).</summary>
public sealed class AdoptTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Adopting_points_the_Shelly_at_the_broker_and_it_is_then_controlled_over_MQTT()
    {
        await using var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00001", TokenScope.Install);
        var (bridge, shelly, client) = (scene.Bridge, scene.Shelly, scene.Client);

        var before = Entry(await client.RequestAsync(new { op = "discovered" }), shelly.Id);
        Assert.False(before.GetProperty("adopted").GetBoolean());

        var reply = await client.RequestAsync(new { op = "adopt", device = shelly.Id }, Patience);
        JsonAssert.Ok(reply);
        var device = reply.GetProperty("device");
        Assert.Equal(shelly.Id, device.GetProperty("id").GetString());
        Assert.Equal("shelly", device.GetProperty("protocol").GetString());
        Assert.True(device.GetProperty("online").GetBoolean());
        var port = bridge.App.Services.GetRequiredService<EmbeddedBroker>().Port;
        Assert.Equal($"127.0.0.1:{port}", shelly.Device.MqttConfig.Server);
        Assert.True(shelly.Device.IsConnected);
        // It came back with an account of its own (the broker refuses clients without one), kept only hashed.
        Assert.Equal(shelly.Id, shelly.Device.MqttConfig.User);
        var password = shelly.Device.MqttConfig.Password!;
        Assert.Equal(32, password.Length);
        foreach (var file in Directory.EnumerateFiles(bridge.DataDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
            Assert.DoesNotContain(password, File.ReadAllText(file));

        var devices = await client.RequestAsync(new { op = "devices" });
        Assert.Contains(devices.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == shelly.Id);
        var set = await client.RequestAsync(new { op = "set", device = shelly.Id, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", set.GetProperty("state").GetProperty("power").GetString());
        Assert.Equal("on", shelly.Device.Snapshot()["power"]);

        Assert.True(Entry(await client.RequestAsync(new { op = "discovered" }), shelly.Id).GetProperty("adopted").GetBoolean());
    }

    [Fact]
    public async Task Adopting_an_adopted_device_again_answers_at_once_without_touching_it()
    {
        await using var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00002", TokenScope.Install);
        var (bridge, shelly, client) = (scene.Bridge, scene.Shelly, scene.Client);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = shelly.Id }, Patience));
        var calls = new ConcurrentQueue<string>();
        shelly.Device.CommandReceived += calls.Enqueue;

        var again = await client.RequestAsync(new { op = "adopt", device = shelly.Id }, Patience);

        JsonAssert.Ok(again);
        Assert.True(again.GetProperty("device").GetProperty("online").GetBoolean());
        Assert.DoesNotContain(calls, c => c is "MQTT.SetConfig" or "Shelly.Reboot");
        Assert.Equal(1, shelly.Device.Reboots);
    }

    [Fact]
    public async Task Adopting_an_id_nobody_announced_fails_with_unknown_device()
    {
        await using var bridge = await TestBridge.StartAsync(null, false);
        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Error(await client.RequestAsync(new { op = "adopt", device = "shellyplus1-000000000000" }), "unknown_device");
        JsonAssert.Error(await client.RequestAsync(new { op = "adopt" }), "bad_request");
    }

    [Fact]
    public async Task A_control_token_cannot_adopt()
    {
        await using var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00003", TokenScope.Control);
        var (bridge, shelly, client) = (scene.Bridge, scene.Shelly, scene.Client);
        JsonAssert.Error(await client.RequestAsync(new { op = "adopt", device = shelly.Id }), "forbidden");
        Assert.False(shelly.Device.MqttConfig.Enable);
    }

    [Fact]
    public async Task The_bridge_never_hands_its_own_external_broker_password_to_a_device()
    {
        // Nothing listens on port 1: the device can take the settings but never come online.
        string[] external = ["--Mqtt:Url=mqtt://127.0.0.1:1", "--Mqtt:Username=bridge", "--Mqtt:Password=bridge-secret-pw"];
        await using (var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00011", TokenScope.Install, null, external))
        {
            var reply = await scene.Client.RequestAsync(new { op = "adopt", device = scene.Shelly.Id }, Patience);
            JsonAssert.Error(reply, "provision_failed");
            Assert.Contains("Adopt:DeviceMqttUser", reply.GetProperty("error").GetProperty("message").GetString());
            Assert.False(scene.Shelly.Device.MqttConfig.Enable);
            Assert.Null(scene.Shelly.Device.MqttConfig.Password);
        }
        await using (var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00012", TokenScope.Install, null,
            [.. external, "--Adopt:DeviceMqttUser=devices", "--Adopt:DeviceMqttPassword=device-pw", "--Adopt:ConnectTimeout=00:00:01"]))
        {
            var reply = await scene.Client.RequestAsync(new { op = "adopt", device = scene.Shelly.Id }, Patience);
            JsonAssert.Error(reply, "timeout");
            Assert.Equal("devices", scene.Shelly.Device.MqttConfig.User);
            Assert.Equal("device-pw", scene.Shelly.Device.MqttConfig.Password);
        }
    }

    [Fact]
    public async Task A_device_answering_with_an_error_is_left_unchanged_and_the_reply_says_so()
    {
        await using var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00004", TokenScope.Install, d => d.RpcFaults.ErrorReplies = true);
        var (bridge, shelly, client) = (scene.Bridge, scene.Shelly, scene.Client);

        var reply = await client.RequestAsync(new { op = "adopt", device = shelly.Id }, Patience);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("-114", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.False(shelly.Device.MqttConfig.Enable);
        Assert.Equal(0, shelly.Device.Reboots);
    }

    [Fact]
    public async Task A_device_that_does_not_answer_fails_with_device_offline_within_the_RPC_timeout()
    {
        await using var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00005", TokenScope.Install, d => d.Faults.IgnoreCommands = true, "--Adopt:RpcTimeout=00:00:01");
        var (bridge, shelly, client) = (scene.Bridge, scene.Shelly, scene.Client);

        var reply = await client.RequestAsync(new { op = "adopt", device = shelly.Id }, Patience);

        JsonAssert.Error(reply, "device_offline");
        Assert.Contains("Nothing was changed", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.False(shelly.Device.MqttConfig.Enable);
    }

    [Fact]
    public async Task A_device_that_never_restarts_times_out_and_the_reply_says_how_it_was_left()
    {
        await using var scene = await Scene.StartAsync("shellyplusplugs-a8032ab00006", TokenScope.Install, d => d.RpcFaults.RefuseReboot = true, "--Adopt:ConnectTimeout=00:00:02");
        var (bridge, shelly, client) = (scene.Bridge, scene.Shelly, scene.Client);

        var reply = await client.RequestAsync(new { op = "adopt", device = shelly.Id }, Patience);

        JsonAssert.Error(reply, "timeout");
        Assert.Contains("stays configured", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.True(shelly.Device.MqttConfig.Enable);
        Assert.False(shelly.Device.IsConnected);
        var devices = await client.RequestAsync(new { op = "devices" });
        Assert.DoesNotContain(devices.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == shelly.Id);
    }

    [Fact]
    public async Task Adopt_options_out_of_range_stop_the_bridge_at_start()
    {
        var problems = new List<string>();
        var app = Bridge.Service.Hosting.BridgeApp.Create(["--Api:Port=0", "--Mqtt:Port=0", "--Adopt:RpcTimeout=00:00:00", "--Adopt:ConnectTimeout=01:00:00", "--Adopt:DeviceMqttUser=devices"], problems, null);
        Assert.Null(app);
        Assert.Contains(problems, p => p.Contains("Adopt:DeviceMqttPassword", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Adopt:RpcTimeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Adopt:ConnectTimeout", StringComparison.Ordinal));
    }

    private static DiscoveredDevices Discovered(TestBridge bridge) => bridge.App.Services.GetRequiredService<DiscoveredDevices>();

    /// <summary>A bridge (no demo home), an unadopted Shelly it has discovered, and a client of the given scope.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        public required TestBridge Bridge { get; init; }
        public required UnadoptedShelly Shelly { get; init; }
        public required ApiClient Client { get; init; }

        public static async Task<Scene> StartAsync(string id, TokenScope scope, Action<Bridge.Simulator.Shelly.ShellyPlug>? faults = null, params string[] bridgeArgs)
        {
            var bridge = await TestBridge.StartAsync(null, false, bridgeArgs);
            var shelly = await UnadoptedShelly.StartAsync(id);
            faults?.Invoke(shelly.Device);
            shelly.AnnounceTo(Discovered(bridge));
            return new Scene { Bridge = bridge, Shelly = shelly, Client = await bridge.ConnectAsync(scope) };
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Shelly.DisposeAsync();
            await Bridge.DisposeAsync();
        }
    }

    private static System.Text.Json.JsonElement Entry(System.Text.Json.JsonElement reply, string id)
    {
        JsonAssert.Ok(reply);
        return reply.GetProperty("found").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
    }
}
