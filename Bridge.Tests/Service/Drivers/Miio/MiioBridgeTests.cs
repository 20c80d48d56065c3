using Bridge.Tests.Service.Drivers.Tuya;
using System.Text.Json;
using Bridge.Service.Devices;
using Bridge.Service.Security;
using Bridge.Simulator.Miio;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>The real bridge and simulated Xiaomi devices over real loopback UDP: found by the hello,
/// adopted with the token, set with the state the get_properties read-back confirmed, polled for
/// changes made with the remote; a token that stops working, a device that reboots.</summary>
public sealed class MiioBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_lamp_is_discovered_adopted_with_its_token_and_set_with_the_state_read_back()
    {
        var lamp = MiioRig.Lamp();
        await using var rig = await MiioRig.StartAsync([lamp]);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);

        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == lamp.DeviceId);
        Assert.Equal(("miio", false, lamp.Address.ToString()), (found.GetProperty("protocol").GetString(), found.GetProperty("adopted").GetBoolean(), found.GetProperty("address").GetString()));
        Assert.DoesNotContain(MiioRig.Token, found.GetRawText());

        var adopted = await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token });
        JsonAssert.Ok(adopted);
        var device = adopted.GetProperty("device");
        Assert.Equal(("light", true, "off", 50), (device.GetProperty("kind").GetString(), device.GetProperty("online").GetBoolean(),
            device.GetProperty("state").GetProperty("power").GetString(), device.GetProperty("state").GetProperty("brightness").GetInt32()));

        var methods = new List<string>();
        lamp.Handled += m => { lock (methods) methods.Add(m); };
        var reply = await client.RequestAsync(new { op = "set", device = lamp.DeviceId, state = new { power = "on", brightness = 80, color_temp = 2700 } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal(("on", 80, 2700), (state.GetProperty("power").GetString(), state.GetProperty("brightness").GetInt32(), state.GetProperty("color_temp").GetInt32()));
        Assert.True(lamp.Value(2, 1).GetBoolean());
        Assert.Equal((80, 2700), (lamp.Value(2, 2).GetInt32(), lamp.Value(2, 3).GetInt32()));
        // The confirmation is the device's own read-back: a set_properties, then a get_properties.
        lock (methods) Assert.Equal(["set_properties", "get_properties"], methods.Take(2));

        var listed = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == lamp.DeviceId);
        Assert.True(listed.GetProperty("adopted").GetBoolean());
        Assert.DoesNotContain(MiioRig.Token, listed.GetRawText());
        // The token is in the secret store, never in devices.json, discovered or the logs.
        rig.Bridge.App.Services.GetRequiredService<DeviceStore>().Save(rig.Registry.All());
        Assert.DoesNotContain(MiioRig.Token, await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "devices.json")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(MiioRig.Token, await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "secrets.json")));
        Assert.DoesNotContain(MiioRig.Token, rig.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_ac_switches_to_cool_at_24_degrees_and_the_water_heater_to_55()
    {
        var ac = MiioRig.Ac();
        var heater = MiioRig.WaterHeater();
        await using var rig = await MiioRig.StartAsync([ac, heater]);
        await rig.Bridge.UntilFoundAsync(ac.DeviceId, Timeout);
        await rig.Bridge.UntilFoundAsync(heater.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var acDevice = (await client.RequestAsync(new { op = "adopt", device = ac.DeviceId, token = MiioRig.Token })).GetProperty("device");
        Assert.Equal(("air_conditioner", 28.5), (acDevice.GetProperty("kind").GetString(), acDevice.GetProperty("state").GetProperty("current_temperature").GetDouble()));
        var heaterDevice = (await client.RequestAsync(new { op = "adopt", device = heater.DeviceId, token = MiioRig.Token.ToUpperInvariant() })).GetProperty("device");
        Assert.Equal(("water_heater", 38.0), (heaterDevice.GetProperty("kind").GetString(), heaterDevice.GetProperty("state").GetProperty("current_temperature").GetDouble()));

        var reply = await client.RequestAsync(new { op = "set", device = ac.DeviceId, state = new { power = "on", mode = "cool", target_temperature = 24, fan_speed = "medium" } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal(("on", "cool", 24.0, "medium"), (state.GetProperty("power").GetString(), state.GetProperty("mode").GetString(),
            state.GetProperty("target_temperature").GetDouble(), state.GetProperty("fan_speed").GetString()));
        Assert.Equal((2, 24.0, 3), (ac.Value(2, 2).GetInt32(), ac.Value(2, 4).GetDouble(), ac.Value(3, 2).GetInt32()));
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = ac.DeviceId, state = new { target_temperature = 24.5 } }));
        Assert.Equal(24.5, ac.Value(2, 4).GetDouble());

        reply = await client.RequestAsync(new { op = "set", device = heater.DeviceId, state = new { target_temperature = 55 } });
        JsonAssert.Ok(reply);
        Assert.Equal(55, reply.GetProperty("state").GetProperty("target_temperature").GetDouble());
        Assert.Equal(55, heater.Value(2, 2).GetInt32());
        // Out of the profile's range: refused before anything is sent.
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = heater.DeviceId, state = new { target_temperature = 80 } }), "invalid_value");
    }

    [Fact]
    public async Task A_change_made_with_the_remote_arrives_as_a_state_event_at_the_next_poll()
    {
        var lamp = MiioRig.Lamp();
        await using var rig = await MiioRig.StartAsync([lamp], MiioRig.QuickPolls);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        lamp.Change(2, 1, true);
        lamp.Change(2, 2, 20);
        await client.WaitStateEventAsync(lamp.DeviceId, s => s.GetProperty("power").GetString() == "on" && s.GetProperty("brightness").GetInt32() == 20, Timeout);
    }

    [Fact]
    public async Task A_rejected_token_marks_the_device_offline_stops_asking_and_adopting_the_new_token_brings_it_back()
    {
        var lamp = MiioRig.Lamp();
        var clock = MiioRig.Lamp(); // polled alongside: its polls show time passing without a sleep
        await using var rig = await MiioRig.StartAsync([lamp, clock], MiioRig.QuickPolls);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await rig.Bridge.UntilFoundAsync(clock.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = clock.DeviceId, token = MiioRig.Token }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        lamp.RePair(MiioRig.NewToken);
        await client.WaitOnlineEventAsync(lamp.DeviceId, false, Timeout);
        var device = rig.Device(lamp);
        Assert.Equal("its token was rejected — adopt it again with the new token", device.OfflineReason);
        var refused = await client.RequestAsync(new { op = "set", device = lamp.DeviceId, state = new { power = "on" } });
        JsonAssert.Error(refused, "device_offline");
        Assert.Contains("its token was rejected — adopt it again with the new token", refused.GetProperty("error").GetProperty("message").GetString());

        // Not retried forever: three more polls of the other lamp, and nothing more reached this one.
        var ignored = lamp.Ignored;
        var polls = 0;
        var threePolls = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Handled += m => { if (m == "get_properties" && Interlocked.Increment(ref polls) >= 3) threePolls.TrySetResult(); };
        await threePolls.Task.WaitAsync(Timeout);
        Assert.Equal(ignored, lamp.Ignored);

        // The old token is refused at adoption too; the new one brings the lamp back.
        JsonAssert.Error(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token }), "invalid_value");
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.NewToken }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = lamp.DeviceId, state = new { power = "on" } }));
        Assert.True(lamp.Value(2, 1).GetBoolean());
        Assert.DoesNotContain(MiioRig.NewToken, rig.Logs.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(MiioRig.Token, rig.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_device_that_answers_in_its_new_token_is_refused_at_once()
    {
        var lamp = MiioRig.Lamp();
        lamp.AnswersWrongToken = true;
        lamp.RePair(MiioRig.NewToken);
        await using var rig = await MiioRig.StartAsync([lamp]);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var refused = await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token });
        JsonAssert.Error(refused, "invalid_value");
        Assert.Contains("token", refused.GetProperty("error").GetProperty("message").GetString());
        Assert.False(rig.Registry.TryGet(lamp.DeviceId, out _));
    }

    [Fact]
    public async Task A_device_that_reboots_goes_offline_and_comes_back_by_itself()
    {
        var lamp = MiioRig.Lamp();
        await using var rig = await MiioRig.StartAsync([lamp], MiioRig.QuickPolls);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        var stampBefore = lamp.Stamp;

        var rebooted = lamp.RebootAsync(TimeSpan.FromSeconds(3));
        await client.WaitOnlineEventAsync(lamp.DeviceId, false, Timeout);
        Assert.Equal("it stopped answering", rig.Device(lamp).OfflineReason);
        await rebooted;
        Assert.True(lamp.Stamp < stampBefore, "the stamp restarted");
        await client.WaitOnlineEventAsync(lamp.DeviceId, true, Timeout);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = lamp.DeviceId, state = new { power = "on" } }));
    }

    [Theory]
    [InlineData("0011223344556677")]
    [InlineData("00112233445566778899aabbccddeeff00")]
    [InlineData("zz112233445566778899aabbccddeeff")]
    public async Task A_token_of_the_wrong_shape_is_refused_clearly_and_never_echoed(string token)
    {
        var lamp = MiioRig.Lamp();
        await using var rig = await MiioRig.StartAsync([lamp]);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var refused = await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token });
        JsonAssert.Error(refused, "bad_request");
        var message = refused.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("32 hex digits", message);
        Assert.DoesNotContain(token, message);
        JsonAssert.Error(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId }), "bad_request");
        Assert.Equal(0, lamp.Requests);
        Assert.DoesNotContain(token, rig.Logs.AllText);
    }

    [Fact]
    public async Task An_unprovisioned_device_that_shows_its_token_in_the_hello_never_has_it_shown()
    {
        var lamp = MiioRig.Lamp();
        lamp.Unprovisioned = true;
        await using var rig = await MiioRig.StartAsync([lamp]);
        await rig.Bridge.UntilFoundAsync(lamp.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var found = await client.RequestAsync(new { op = "discovered" });
        Assert.DoesNotContain(MiioRig.Token, found.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(MiioRig.Token, rig.Logs.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.False(rig.Registry.TryGet(lamp.DeviceId, out _));
    }
}
