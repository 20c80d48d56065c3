using System.Text.Json;
using Bridge.Service.Discovery;
using Bridge.Simulator.Yeelight;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Yeelight;

/// <summary>The real bridge and simulated bulbs over real loopback sockets (unicast search, so
/// these run anywhere): listed, controlled with confirmed state, events, faults.</summary>
public sealed class YeelightBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_bulb_is_listed_in_devices_and_discovered_as_adopted()
    {
        await using var rig = await YeelightRig.StartAsync(1);
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync(Bridge.Service.Security.TokenScope.Install);
        var bulb = rig.Bulbs[0];

        var device = (await client.RequestAsync(new { op = "get", device = bulb.DeviceId })).GetProperty("device");
        Assert.Equal("yeelight", device.GetProperty("protocol").GetString());
        Assert.Equal("light", device.GetProperty("kind").GetString());
        Assert.Equal("Bulb 1", device.GetProperty("name").GetString());
        Assert.True(device.GetProperty("online").GetBoolean());
        Assert.Equal(1700, device.GetProperty("capabilities").GetProperty("color_temp").GetProperty("min").GetInt32());
        var state = device.GetProperty("state");
        Assert.Equal(("off", 50, 4000), (state.GetProperty("power").GetString(), state.GetProperty("brightness").GetInt32(), state.GetProperty("color_temp").GetInt32()));

        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray()
            .Single(f => f.GetProperty("id").GetString() == bulb.DeviceId);
        Assert.Equal("yeelight", found.GetProperty("protocol").GetString());
        Assert.Equal(bulb.ControlPort, found.GetProperty("port").GetInt32());
        Assert.True(found.GetProperty("adopted").GetBoolean());
    }

    [Fact]
    public async Task Set_replies_with_the_state_the_bulb_confirmed()
    {
        await using var rig = await YeelightRig.StartAsync(1);
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync();
        var bulb = rig.Bulbs[0];

        var reply = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on", brightness = 80, color_temp = 2700 } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal(("on", 80, 2700), (state.GetProperty("power").GetString(), state.GetProperty("brightness").GetInt32(), state.GetProperty("color_temp").GetInt32()));
        Assert.Equal("on", bulb.Snapshot()["power"]);
        Assert.Equal(2700, bulb.Snapshot()["color_temp"]);

        // A value the bulb already has: it sends no props, the bridge reads it back instead of timing out.
        var again = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 80 } });
        JsonAssert.Ok(again);
        Assert.Equal(80, again.GetProperty("state").GetProperty("brightness").GetInt32());

        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { color_temp = 9000 } }), "invalid_value");
    }

    [Fact]
    public async Task A_change_made_on_the_bulb_arrives_as_an_event()
    {
        await using var rig = await YeelightRig.StartAsync(1);
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        var bulb = rig.Bulbs[0];

        await bulb.ChangeAsync(power: true, bright: 10);
        var e = await client.WaitStateEventAsync(bulb.DeviceId, s => s.GetProperty("power").GetString() == "on" && s.GetProperty("brightness").GetInt32() == 10, Timeout);
        Assert.Equal(4000, e.GetProperty("state").GetProperty("color_temp").GetInt32());
    }

    [Fact]
    public async Task A_bulb_that_ignores_commands_times_out_and_the_next_command_works()
    {
        await using var rig = await YeelightRig.StartAsync(1, extra: "--Commands:ConfirmTimeout=00:00:01");
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync();
        var bulb = rig.Bulbs[0];
        bulb.Faults.IgnoreCommands = true;
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 42 } }), "timeout");
        bulb.Faults.IgnoreCommands = false;
        var next = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 43 } });
        JsonAssert.Ok(next);
        Assert.Equal(43, next.GetProperty("state").GetProperty("brightness").GetInt32());
    }

    [Fact]
    public async Task A_dropped_connection_is_offline_once_then_online_again()
    {
        await using var rig = await YeelightRig.StartAsync(1, extra: ["--Discovery:Yeelight:ReconnectMin=00:00:00.2", "--Discovery:Yeelight:ReconnectMax=00:00:01"]);
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        var bulb = rig.Bulbs[0];

        await bulb.GoAwayAsync();
        await client.WaitOnlineEventAsync(bulb.DeviceId, online: false, Timeout);
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on" } }), "device_offline");
        // Failed reconnects while it is away must not repeat the offline event.
        await bulb.ComeBackAsync();
        var online = await client.WaitEventAsync(e => e.GetProperty("event").GetString() == "online" && e.GetProperty("device").GetString() == bulb.DeviceId, Timeout);
        Assert.True(online.GetProperty("online").GetBoolean(), "the next availability event after going offline must be online again");
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on" } }));
    }

    [Fact]
    public async Task Something_else_on_the_bulbs_old_port_does_not_bring_it_online()
    {
        await using var rig = await YeelightRig.StartAsync(1, extra: ["--Discovery:Yeelight:ReconnectMin=00:00:00.2", "--Discovery:Yeelight:ConnectTimeout=00:00:01"]);
        await rig.WaitAllOnlineAsync(Timeout);
        var bulb = rig.Bulbs[0];
        await bulb.GoAwayAsync();
        await rig.WaitRegistryAsync(() => rig.Registry.TryGet(bulb.DeviceId, out var d) && !d.Online, Timeout, "the bulb offline");

        // Another program takes the port: it accepts, reads, answers garbage, never a bulb's reply.
        var impostor = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, bulb.ControlPort);
        impostor.Start();
        try
        {
            using var accepted = await impostor.AcceptTcpClientAsync().WaitAsync(Timeout);
            var stream = accepted.GetStream();
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
            var buffer = new byte[1024];
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout) > 0) { }
            // The bridge gave up on it (closed the connection) without calling the bulb online.
            Assert.True(rig.Registry.TryGet(bulb.DeviceId, out var device));
            Assert.False(device.Online);
        }
        finally
        {
            impostor.Stop();
        }
    }

    [Fact]
    public async Task Garbage_from_a_bulb_changes_nothing_and_the_connection_stays_up()
    {
        await using var rig = await YeelightRig.StartAsync(1);
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        var bulb = rig.Bulbs[0];

        await bulb.SendGarbageAsync();
        bulb.GarbageBeforeReplies = true;
        var reply = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 70 } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal(("off", 70), (state.GetProperty("power").GetString(), state.GetProperty("brightness").GetInt32()));
        Assert.Equal(1, bulb.ConnectedClients);
        Assert.True(rig.Registry.TryGet(bulb.DeviceId, out var d) && d.Online);
    }

    [Fact]
    public async Task The_bridge_keeps_within_the_bulbs_quota_and_answers_busy()
    {
        await using var rig = await YeelightRig.StartAsync(1, extra: "--Discovery:Yeelight:CommandsPerMinute=3");
        await rig.WaitAllOnlineAsync(Timeout);
        await using var client = await rig.Bridge.ConnectAsync();
        var bulb = rig.Bulbs[0];
        // get_prop at connect took one of three.
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 20 } }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 21 } }));
        var refused = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { brightness = 22 } });
        JsonAssert.Error(refused, "busy");
        Assert.Contains("a minute", refused.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(21, bulb.Snapshot()["brightness"]);
    }

    [Fact]
    public async Task The_demo_home_has_two_yeelight_bulbs_found_on_loopback_and_controllable()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var client = await bridge.ConnectAsync();
        var bulbs = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices").EnumerateArray()
            .Where(d => d.GetProperty("protocol").GetString() == "yeelight").ToArray();
        Assert.Equal(["Bedside bulb", "Study desk bulb"], bulbs.Select(b => b.GetProperty("name").GetString()).Order());
        Assert.All(bulbs, b => Assert.True(b.GetProperty("online").GetBoolean()));
        var desk = bridge.Home.TwinsOf<SimulatedBulb>().Single(b => b.Name == "Study desk bulb");
        var reply = await client.RequestAsync(new { op = "set", device = desk.DeviceId, state = new { power = "on", color_temp = 3000 } });
        JsonAssert.Ok(reply);
        Assert.Equal(("on", 70, 3000), (reply.GetProperty("state").GetProperty("power").GetString(),
            reply.GetProperty("state").GetProperty("brightness").GetInt32(), reply.GetProperty("state").GetProperty("color_temp").GetInt32()));
    }

    [Fact]
    public async Task Bad_yeelight_options_stop_the_start_with_every_problem_listed()
    {
        var problems = new List<string>();
        var app = Bridge.Service.Hosting.BridgeApp.Create(
            ["--Api:Port=0", "--Discovery:Yeelight:CommandsPerMinute=0", "--Discovery:Yeelight:SearchTargets:0=lamp", "--Data:Dir=" + Path.GetTempPath()], problems);
        Assert.Null(app);
        Assert.Contains(problems, p => p.Contains("CommandsPerMinute"));
        Assert.Contains(problems, p => p.Contains("'lamp'"));
    }
}
