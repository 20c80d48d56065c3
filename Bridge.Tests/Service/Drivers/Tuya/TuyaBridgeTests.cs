using System.Text.Json;
using Bridge.Protocols.Tuya;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Tuya;

/// <summary>The real bridge and simulated Tuya devices of every version over real loopback sockets:
/// found, adopted with the local key, set with the state the device's STATUS push confirmed; a key
/// that stops working, the app holding the connection, a remote change, a reboot.</summary>
public sealed class TuyaBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static TheoryData<TuyaVersion> Versions() => new() { TuyaVersion.V31, TuyaVersion.V33, TuyaVersion.V34, TuyaVersion.V35 };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_plug_is_discovered_adopted_with_its_key_and_set_with_confirmed_state(TuyaVersion version)
    {
        var plug = TuyaRig.Plug(version, answersOnlyDeviceInfo: version == TuyaVersion.V35);
        await using var rig = await TuyaRig.StartAsync([plug]);
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);

        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == plug.DeviceId);
        Assert.Equal("tuya", found.GetProperty("protocol").GetString());
        Assert.False(found.GetProperty("adopted").GetBoolean());
        Assert.DoesNotContain(TuyaRig.Key, found.GetRawText());

        var adopted = await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key });
        JsonAssert.Ok(adopted);
        var device = adopted.GetProperty("device");
        Assert.Equal(("plug", true, "off"), (device.GetProperty("kind").GetString(), device.GetProperty("online").GetBoolean(), device.GetProperty("state").GetProperty("power").GetString()));

        var reply = await client.RequestAsync(new { op = "set", device = plug.DeviceId, state = new { power = "on" } });
        JsonAssert.Ok(reply);
        Assert.Equal("on", reply.GetProperty("state").GetProperty("power").GetString());
        Assert.True(plug.Snapshot()["1"].Bool);

        var listed = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == plug.DeviceId);
        Assert.True(listed.GetProperty("adopted").GetBoolean());
        // The key is in the secret store, never in devices.json, discovered or the logs.
        rig.Bridge.App.Services.GetRequiredService<Bridge.Service.Devices.DeviceStore>().Save(rig.Registry.All());
        Assert.DoesNotContain(TuyaRig.Key, await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "devices.json")));
        Assert.Contains(JsonEncodedText.Encode(TuyaRig.Key).ToString(), await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "secrets.json")));
        Assert.DoesNotContain(TuyaRig.Key, rig.Logs.AllText);
    }

    [Fact]
    public async Task An_ac_switches_to_cool_at_24_degrees_through_scaled_and_named_data_points()
    {
        var ac = TuyaRig.Ac(TuyaVersion.V33);
        await using var rig = await TuyaRig.StartAsync([ac]);
        await rig.Bridge.UntilFoundAsync(ac.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var device = (await client.RequestAsync(new { op = "adopt", device = ac.DeviceId, key = TuyaRig.Key })).GetProperty("device");
        Assert.Equal(27.5, device.GetProperty("state").GetProperty("current_temperature").GetDouble());

        var reply = await client.RequestAsync(new { op = "set", device = ac.DeviceId, state = new { power = "on", mode = "cool", target_temperature = 24.5, fan_speed = "medium" } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal(("on", "cool", 24.5, "medium"), (state.GetProperty("power").GetString(), state.GetProperty("mode").GetString(),
            state.GetProperty("target_temperature").GetDouble(), state.GetProperty("fan_speed").GetString()));
        var dps = ac.Snapshot();
        Assert.Equal((TuyaDpValue.Of("cold"), TuyaDpValue.Of(245), TuyaDpValue.Of("middle")), (dps["4"], dps["2"], dps["5"]));
    }

    [Fact]
    public async Task A_bulb_is_dimmed_and_its_colour_temperature_mapped_onto_the_devices_range()
    {
        var bulb = TuyaRig.Bulb(TuyaVersion.V34);
        await using var rig = await TuyaRig.StartAsync([bulb]);
        await rig.Bridge.UntilFoundAsync(bulb.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = bulb.DeviceId, key = TuyaRig.Key }));

        var reply = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on", brightness = 30, color_temp = 6500 } });
        JsonAssert.Ok(reply);
        Assert.Equal(30, reply.GetProperty("state").GetProperty("brightness").GetInt32());
        Assert.Equal(6500, reply.GetProperty("state").GetProperty("color_temp").GetInt32());
        Assert.Equal(TuyaDpValue.Of(1000), bulb.Snapshot()["23"]);
        Assert.Equal(TuyaDpValue.Of(300), bulb.Snapshot()["22"]);
    }

    [Fact]
    public async Task A_change_made_with_the_remote_arrives_as_a_state_event()
    {
        var plug = TuyaRig.Plug(TuyaVersion.V35);
        await using var rig = await TuyaRig.StartAsync([plug]);
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        await plug.ChangeAsync(new KeyValuePair<string, TuyaDpValue>("1", TuyaDpValue.Of(true)));
        await client.WaitStateEventAsync(plug.DeviceId, s => s.GetProperty("power").GetString() == "on", Timeout);
    }

    [Theory]
    [InlineData(TuyaVersion.V33)]
    [InlineData(TuyaVersion.V34)]
    [InlineData(TuyaVersion.V35)]
    public async Task A_rejected_key_marks_the_device_offline_with_a_message_and_adopting_the_new_key_brings_it_back(TuyaVersion version)
    {
        var plug = TuyaRig.Plug(version);
        await using var rig = await TuyaRig.StartAsync([plug], "--Discovery:Tuya:ReconnectMin=00:00:00.1", "--Discovery:Tuya:ReconnectMax=00:00:00.2");
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        const string newKey = "N3w-k3y/after:re";
        plug.RePair(newKey);
        var device = rig.Registry.All().Single(d => d.Id == plug.DeviceId);
        await rig.WaitAsync(() => device.OfflineReason is not null, "the rejected key noticed");
        var refused = await client.RequestAsync(new { op = "set", device = plug.DeviceId, state = new { power = "on" } });
        JsonAssert.Error(refused, "device_offline");
        Assert.Contains("its key was rejected — adopt it again with the new key", refused.GetProperty("error").GetProperty("message").GetString());

        // Not retried forever: the bridge stops dialling a device whose key was rejected.
        var framesAfterRejection = plug.FramesReceived;
        await plug.BroadcastAsync();
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        // The old key is refused. A 3.5 device fails its GCM check (invalid_value, "rejected this key");
        // a 3.3/3.4 device may instead drop the connection at the first frame it cannot read, which
        // looks the same as the vendor app holding its one connection (busy): either way nothing is adopted.
        var stale = await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key });
        Assert.False(stale.GetProperty("ok").GetBoolean());
        Assert.Contains(stale.GetProperty("error").GetProperty("code").GetString(), new[] { "invalid_value", "busy" });
        Assert.True(plug.FramesReceived - framesAfterRejection <= 3, $"{plug.FramesReceived - framesAfterRejection} frames after the rejection");

        // The device serves one client: it frees its slot once it has seen the stale attempt's connection
        // close, and until then refuses the next one as it refuses the vendor app's rival (busy). On a
        // loaded machine that took long enough for the adoption below to be refused in CI.
        await Wait.UntilAsync(() => plug.Connections == 0, Timeout, "the device done with the stale attempt's connection");
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = newKey }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = plug.DeviceId, state = new { power = "on" } }));
        Assert.DoesNotContain(newKey, rig.Logs.AllText);
        Assert.DoesNotContain(TuyaRig.Key, rig.Logs.AllText);
    }

    [Fact]
    public async Task When_the_app_holds_the_connection_adopting_says_so()
    {
        var plug = TuyaRig.Plug(TuyaVersion.V33);
        plug.AppHoldsConnection = true;
        await using var rig = await TuyaRig.StartAsync([plug]);
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);

        var refused = await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key });
        Assert.True(refused.GetProperty("error").GetProperty("code").GetString() == "busy", refused.GetRawText());
        Assert.Contains("app", refused.GetProperty("error").GetProperty("message").GetString());

        plug.AppHoldsConnection = false;
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key }));
    }

    [Fact]
    public async Task A_device_that_reboots_comes_back_by_itself()
    {
        var plug = TuyaRig.Plug(TuyaVersion.V34);
        await using var rig = await TuyaRig.StartAsync([plug], "--Discovery:Tuya:ReconnectMin=00:00:00.1", "--Discovery:Tuya:ReconnectMax=00:00:00.5");
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key = TuyaRig.Key }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        var rebooted = plug.RebootAsync(TimeSpan.FromMilliseconds(300));
        await client.WaitOnlineEventAsync(plug.DeviceId, false, Timeout);
        await rebooted;
        await client.WaitOnlineEventAsync(plug.DeviceId, true, Timeout);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = plug.DeviceId, state = new { power = "on" } }));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789abcdef0")]
    public async Task A_key_of_the_wrong_shape_is_refused_clearly_and_never_echoed(string key)
    {
        var plug = TuyaRig.Plug(TuyaVersion.V33);
        await using var rig = await TuyaRig.StartAsync([plug]);
        await rig.Bridge.UntilFoundAsync(plug.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var refused = await client.RequestAsync(new { op = "adopt", device = plug.DeviceId, key });
        JsonAssert.Error(refused, "bad_request");
        Assert.Contains("16", refused.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(key, refused.GetProperty("error").GetProperty("message").GetString());
        JsonAssert.Error(await client.RequestAsync(new { op = "adopt", device = plug.DeviceId }), "bad_request");
    }
}
