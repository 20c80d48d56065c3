using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Protocols.Modbus;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Drivers.Modbus;

/// <summary>The bridge drives simulated Modbus slaves over a real pty pair made by socat.</summary>
public sealed class ModbusBridgeTests
{
    private static JsonElement State(JsonElement reply) => reply.GetProperty("state");

    [Fact]
    public async Task Devices_are_listed_and_a_set_replies_with_the_state_read_back()
    {
        await using var rig = await ModbusRig.StartAsync();
        await using var client = await rig.ConnectOnlineAsync();

        var ac = (await client.RequestAsync(new { op = "get", device = "ac-1" })).GetProperty("device");
        Assert.Equal("Office AC", ac.GetProperty("name").GetString());
        Assert.Equal("modbus", ac.GetProperty("protocol").GetString());
        Assert.Equal(27.5, ac.GetProperty("state").GetProperty("current_temperature").GetDouble());
        Assert.True(ac.GetProperty("capabilities").GetProperty("current_temperature").GetProperty("read_only").GetBoolean());

        var reply = await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on", mode = "heat", target_temperature = 23.5 } });
        JsonAssert.Ok(reply);
        Assert.Equal("on", State(reply).GetProperty("power").GetString());
        Assert.Equal("heat", State(reply).GetProperty("mode").GetString());
        Assert.Equal(23.5, State(reply).GetProperty("target_temperature").GetDouble());
        Assert.Equal(27.5, State(reply).GetProperty("current_temperature").GetDouble());
        // On the unit: Intesis mode 1 = heat, set point in tenths.
        var intesis = rig.Bus[1];
        Assert.Equal(StateValue.Of("heat"), intesis.Get("mode"));
        Assert.Equal(StateValue.Of(23.5), intesis.Get("target_temperature"));

        // Same capability values, another family's numbers: CoolMasterNet heat = 1, fan high = 2.
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "ac-2", state = new { mode = "cool", fan_speed = "high" } }));
        Assert.Equal(StateValue.Of("cool"), rig.Bus[2].Get("mode"));
        Assert.Equal(StateValue.Of("high"), rig.Bus[2].Get("fan_speed"));

        var heater = await client.RequestAsync(new { op = "set", device = "heater-1", state = new { target_temperature = 60 } });
        JsonAssert.Ok(heater);
        Assert.Equal(60, State(heater).GetProperty("target_temperature").GetDouble());
        Assert.Equal(48, State(heater).GetProperty("current_temperature").GetDouble());
    }

    [Fact]
    public async Task A_change_on_the_unit_itself_becomes_a_state_event()
    {
        await using var rig = await ModbusRig.StartAsync();
        await using var client = await rig.ConnectOnlineAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        rig.Bus[2].Set("target_temperature", StateValue.Of(24.5));
        await client.WaitStateEventAsync("ac-2", s => s.GetProperty("target_temperature").GetDouble() == 24.5);
        // A signed input register: frost in the pipes reads below zero.
        rig.Bus[3].Set("current_temperature", StateValue.Of(-3.5));
        await client.WaitStateEventAsync("heater-1", s => s.GetProperty("current_temperature").GetDouble() == -3.5);
    }

    [Fact]
    public async Task Out_of_range_values_are_refused_before_anything_goes_on_the_wire()
    {
        await using var rig = await ModbusRig.StartAsync();
        await using var client = await rig.ConnectOnlineAsync();
        var writes = 0;
        foreach (var s in rig.Slaves) s.Written += _ => Interlocked.Increment(ref writes);
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = "heater-1", state = new { target_temperature = 90 } }), "invalid_value");
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { target_temperature = 22.3 } }), "invalid_value");
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { mode = "turbo" } }), "invalid_value");
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { current_temperature = 20 } }), "unsupported_capability");
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on" } }));
        Assert.Equal(1, writes);
    }

    [Fact]
    public async Task Garbage_bad_crcs_cut_frames_and_other_slaves_replies_are_discarded_and_logged_once_per_burst()
    {
        await using var rig = await ModbusRig.StartAsync(pollSeconds: 60);
        await using var client = await rig.ConnectOnlineAsync();
        var faults = rig.Bus.Faults;
        faults.GarbageBeforeReplies = 1;
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { fan_speed = "low" } }));
        faults.BadCrcReplies = 1;
        faults.PartialReplies = 1;
        faults.WrongSlaveReplies = 1;
        var reply = await client.RequestAsync(new { op = "set", device = "ac-1", state = new { fan_speed = "high" } });
        JsonAssert.Ok(reply);
        Assert.Equal("high", State(reply).GetProperty("fan_speed").GetString());
        // Each command ended its burst with a clean reply: two bursts, two warnings, not one per bad
        // byte. Under load a cut frame or a bad reply can time out and be retried, and each retry
        // starts one more burst; a warning per bad byte would be dozens.
        var warnings = rig.Logs.Events.Where(e => e.Level == LogLevel.Warning && e.Text.Contains("discarded")).ToList();
        Assert.InRange(warnings.Count, 2, 5);
        Assert.Contains(warnings, w => w.Text.Contains("bad CRC"));
    }

    [Fact]
    public async Task A_silent_slave_times_out_goes_offline_and_comes_back_by_itself()
    {
        await using var rig = await ModbusRig.StartAsync(pollSeconds: 0.3);
        await using var client = await rig.ConnectOnlineAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        rig.Bus.Faults.Silent = true;
        var reply = await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on" } });
        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Contains(reply.GetProperty("error").GetProperty("code").GetString(), new[] { "timeout", "device_offline" });
        await client.WaitOnlineEventAsync("ac-1", online: false);
        rig.Bus.Faults.Silent = false;
        await client.WaitOnlineEventAsync("ac-1", online: true);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on" } }));
    }

    [Fact]
    public async Task A_slow_slave_within_the_timeout_is_confirmed()
    {
        await using var rig = await ModbusRig.StartAsync(pollSeconds: 60);
        await using var client = await rig.ConnectOnlineAsync();
        rig.Bus.Faults.ReplyDelay = TimeSpan.FromMilliseconds(120);
        var reply = await client.RequestAsync(new { op = "set", device = "heater-1", state = new { power = "off" } });
        JsonAssert.Ok(reply);
        Assert.Equal("off", State(reply).GetProperty("power").GetString());
    }

    [Fact]
    public async Task A_vanished_port_takes_its_devices_offline_once_and_they_return_when_it_does()
    {
        await using var rig = await ModbusRig.StartAsync(pollSeconds: 0.3);
        await using var client = await rig.ConnectOnlineAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        var registry = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Bridge.Service.Devices.DeviceRegistry>(rig.Bridge.App.Services);
        var wentOffline = 0;
        registry.AvailabilityChanged += (d, online) => { if (d.Id == "ac-1" && !online) Interlocked.Increment(ref wentOffline); };

        await rig.Pair.KillAsync();
        foreach (var id in ModbusRig.Ids) await client.WaitOnlineEventAsync(id, online: false);
        JsonAssert.Error(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on" } }), "device_offline");
        await rig.Bus.DisposeAsync();

        await rig.Pair.RestartAsync();
        rig.ReattachBus();
        foreach (var id in ModbusRig.Ids) await client.WaitOnlineEventAsync(id, online: true);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on" } }));

        // Once, however many polls and reopen attempts failed while the port was away.
        Assert.Equal(1, Volatile.Read(ref wentOffline));
    }
}
