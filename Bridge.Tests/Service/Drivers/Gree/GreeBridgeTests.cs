using Bridge.Tests.Service.Drivers.Tuya;
using System.Text.Json;
using Bridge.Protocols.Gree;
using Bridge.Service.Drivers.Gree;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Gree;

/// <summary>The real bridge and simulated Gree units over real loopback UDP: scanned, adopted with
/// nothing to paste, set with the state the unit's <c>res</c> confirmed; V2-only firmware, a change
/// made with the remote, a unit that falls silent, one that forgets its key, and its key never leaking.</summary>
public sealed class GreeBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static async Task<(GreeRig Rig, ApiClient Client)> AdoptedAsync(Bridge.Simulator.Gree.SimulatedGreeAc unit, params string[] extra)
    {
        var rig = await GreeRig.StartAsync([unit], extra);
        await rig.Bridge.UntilFoundAsync(unit.DeviceId, Timeout);
        var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = unit.DeviceId }));
        return (rig, client);
    }

    [Fact]
    public async Task A_unit_is_discovered_adopted_with_nothing_to_paste_and_switched_to_cool_at_24_degrees()
    {
        var unit = GreeRig.Unit();
        await using var rig = await GreeRig.StartAsync([unit]);
        await rig.Bridge.UntilFoundAsync(unit.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);

        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == unit.DeviceId);
        Assert.Equal(("gree", false, "Living room AC"), (found.GetProperty("protocol").GetString(), found.GetProperty("adopted").GetBoolean(), found.GetProperty("name").GetString()));

        var adopted = await client.RequestAsync(new { op = "adopt", device = unit.DeviceId });
        JsonAssert.Ok(adopted);
        var device = adopted.GetProperty("device");
        Assert.Equal(("air_conditioner", true, "off"), (device.GetProperty("kind").GetString(), device.GetProperty("online").GetBoolean(), device.GetProperty("state").GetProperty("power").GetString()));
        // TemSen 67 is 27 °C in the room (an offset of 40).
        Assert.Equal(27, device.GetProperty("state").GetProperty("current_temperature").GetDouble());
        Assert.Equal(1, unit.Binds);

        var reply = await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on", mode = "cool", target_temperature = 24, fan_speed = "medium" } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal(("on", "cool", 24.0, "medium"), (state.GetProperty("power").GetString(), state.GetProperty("mode").GetString(),
            state.GetProperty("target_temperature").GetDouble(), state.GetProperty("fan_speed").GetString()));
        Assert.Equal((1, 1, 24, 3), (unit.Get("Pow"), unit.Get("Mod"), unit.Get("SetTem"), unit.Get("WdSpd")));

        var listed = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == unit.DeviceId);
        Assert.True(listed.GetProperty("adopted").GetBoolean());
        Assert.Equal("V1", rig.Device(unit.DeviceId).Binding["cipher"]);
        // The unit's key is in the secret store, never in devices.json, discovered or the logs.
        rig.Bridge.App.Services.GetRequiredService<Bridge.Service.Devices.DeviceStore>().Save(rig.Registry.All());
        Assert.DoesNotContain(unit.DeviceKey, await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "devices.json")));
        Assert.Contains(unit.DeviceKey, await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "secrets.json")));
        Assert.DoesNotContain(unit.DeviceKey, listed.GetRawText());
        Assert.DoesNotContain(unit.DeviceKey, rig.Logs.AllText);
    }

    [Theory]
    [InlineData("V1.21")]   // the scan names V2 firmware: GCM is tried first
    [InlineData("V1.1.13")] // it does not: ECB is tried, meets silence, then GCM
    public async Task A_unit_whose_firmware_answers_only_v2_is_bound_with_gcm_and_the_cipher_is_pinned(string version)
    {
        var unit = GreeRig.Unit(GreeCipherVersion.V2, version);
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;
        Assert.Equal("V2", rig.Device(unit.DeviceId).Binding["cipher"]);
        var reply = await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on", mode = "cool", target_temperature = 24 } });
        JsonAssert.Ok(reply);
        Assert.Equal((1, 1, 24), (unit.Get("Pow"), unit.Get("Mod"), unit.Get("SetTem")));
    }

    [Fact]
    public async Task A_change_made_with_the_remote_arrives_as_a_state_event_at_the_next_poll()
    {
        var unit = GreeRig.Unit();
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        unit.RemoteChange(("Pow", 1), ("Mod", 4), ("SetTem", 28), ("TemSen", 40 + 19));
        await client.WaitStateEventAsync(unit.DeviceId, s => s.TryGetProperty("mode", out var m) && m.GetString() == "heat"
            && s.GetProperty("target_temperature").GetDouble() == 28 && s.GetProperty("current_temperature").GetDouble() == 19, Timeout);
    }

    [Fact]
    public async Task Firmware_that_answers_a_cmd_with_only_p_still_confirms_the_values_it_applied()
    {
        var unit = GreeRig.Unit();
        unit.ResWithoutVal = true;
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;
        var reply = await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { fan_speed = "high" } });
        JsonAssert.Ok(reply);
        Assert.Equal("high", reply.GetProperty("state").GetProperty("fan_speed").GetString());
        Assert.Equal(5, unit.Get("WdSpd"));
    }

    [Fact]
    public async Task A_unit_that_falls_silent_goes_offline_after_two_missed_polls_with_a_clear_message_and_comes_back()
    {
        var unit = GreeRig.Unit();
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        unit.Silent = true;
        await client.WaitOnlineEventAsync(unit.DeviceId, false, Timeout);
        var refused = await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on" } });
        JsonAssert.Error(refused, "device_offline");
        Assert.Contains("does not answer on UDP 7000", refused.GetProperty("error").GetProperty("message").GetString());

        unit.Silent = false;
        await client.WaitOnlineEventAsync(unit.DeviceId, true, Timeout);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on" } }));
    }

    [Fact]
    public async Task A_unit_that_forgot_its_key_in_a_reboot_is_bound_again_by_the_bridge_itself()
    {
        var unit = GreeRig.Unit();
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;
        var oldKey = unit.DeviceKey;
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        unit.Reboot();
        unit.RemoteChange(("Mod", 2));
        // Only a poll with the new key can see the change.
        await client.WaitStateEventAsync(unit.DeviceId, s => s.TryGetProperty("mode", out var m) && m.GetString() == "dry", Timeout);
        Assert.Equal(2, unit.Binds);
        Assert.True(rig.Device(unit.DeviceId).Online);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on" } }));
        Assert.Equal(1, unit.Get("Pow"));
        var secrets = await File.ReadAllTextAsync(Path.Combine(rig.Bridge.DataDir, "secrets.json"));
        Assert.Contains(unit.DeviceKey, secrets);
        Assert.DoesNotContain(oldKey, secrets);
        Assert.DoesNotContain(unit.DeviceKey, rig.Logs.AllText);
        Assert.DoesNotContain(oldKey, rig.Logs.AllText);
    }

    [Fact]
    public async Task A_rejected_key_that_cannot_be_renewed_marks_the_unit_offline_with_a_message_and_adopting_again_brings_it_back()
    {
        var unit = GreeRig.Unit();
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;

        unit.RefusesBind = true;
        unit.Reboot();
        var device = rig.Device(unit.DeviceId);
        await rig.WaitAsync(() => device.OfflineReason == GreeFailures.KeyRejectedMessage, "the rejected key noticed");
        var refused = await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on" } });
        JsonAssert.Error(refused, "device_offline");
        Assert.Contains("its key was rejected", refused.GetProperty("error").GetProperty("message").GetString());

        // Not retried forever: the bridge stops asking a unit whose key was rejected.
        var received = unit.Received;
        await rig.Bridge.App.Services.GetRequiredService<GreeDevices>().Unit(unit.DeviceId)!.PollOnceAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.True(unit.Received - received <= 4, $"{unit.Received - received} datagrams after the rejection");

        unit.RefusesBind = false;
        JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = unit.DeviceId }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { power = "on" } }));
        Assert.DoesNotContain(unit.DeviceKey, rig.Logs.AllText);
    }

    [Fact]
    public async Task Answers_in_another_units_name_are_ignored_with_a_warning()
    {
        var unit = GreeRig.Unit();
        var (rig, client) = await AdoptedAsync(unit);
        await using var _ = rig;
        await using var __ = client;
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        unit.AnswersAsMac = "0123456789ab";
        unit.RemoteChange(("Pow", 1));
        var refused = await client.RequestAsync(new { op = "set", device = unit.DeviceId, state = new { mode = "dry" } });
        Assert.False(refused.GetProperty("ok").GetBoolean(), refused.GetRawText());
        Assert.Equal("off", rig.Device(unit.DeviceId).StateSnapshot().Single(s => s.Key == "power").Value.Text);
        Assert.Contains(rig.Logs.Events, e => e.Text.Contains("another unit (0123456789ab)"));
    }

    [Fact]
    public async Task Adopting_with_a_key_is_refused_clearly_and_an_unheard_unit_is_not_adopted()
    {
        var unit = GreeRig.Unit();
        await using var rig = await GreeRig.StartAsync([unit]);
        await rig.Bridge.UntilFoundAsync(unit.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(TokenScope.Install);
        var refused = await client.RequestAsync(new { op = "adopt", device = unit.DeviceId, key = "0123456789abcdef" });
        JsonAssert.Error(refused, "bad_request");
        Assert.Contains("needs no key", refused.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain("0123456789abcdef", refused.GetRawText());
        Assert.Equal(0, unit.Binds);
    }

    [Fact]
    public async Task A_restarted_bridge_polls_its_adopted_unit_with_the_kept_key_without_binding_again()
    {
        await using var unit = GreeRig.Unit();
        await unit.StartAsync(LoopbackAddresses.Next(), 7000);
        var dataDir = Directory.CreateTempSubdirectory("gree-restart-").FullName;
        string[] args = ["--Discovery:BeaconPort=0", "--Discovery:Gree:PollInterval=00:00:02", "--Discovery:Gree:ReplyTimeout=00:00:00.3", $"--Discovery:Gree:ScanTargets:0={unit.EndPoint}"];
        try
        {
            await using (var first = await TestBridge.StartAsync(dataDir, false, args))
            {
                await first.UntilFoundAsync(unit.DeviceId, Timeout);
                await using var client = await first.ConnectAsync(TokenScope.Install);
                JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = unit.DeviceId }));
            }

            unit.RemoteChange(("Pow", 1));
            await using var again = await TestBridge.StartAsync(dataDir, false, args);
            var registry = again.App.Services.GetRequiredService<Bridge.Service.Devices.DeviceRegistry>();
            await registry.UntilAsync(() => registry.TryGet(unit.DeviceId, out var d) && d.Online
                && d.StateSnapshot().Any(s => s.Key == "power" && s.Value.Text == "on"), "the unit polled after the restart");
            Assert.Equal(1, unit.Binds);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
