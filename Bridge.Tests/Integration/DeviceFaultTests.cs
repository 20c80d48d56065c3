using System.Text.Json;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Integration;

/// <summary>Devices misbehave: they go away, fall silent, send garbage. Each test has its own bridge.</summary>
public sealed class DeviceFaultTests
{
    [Fact]
    public async Task A_device_that_drops_off_is_offline_at_once_and_comes_back()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var client = await bridge.ConnectAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        await bridge.Home["lamp-1"].GoOfflineAsync();
        await client.WaitOnlineEventAsync("lamp-1", online: false);
        var started = DateTime.UtcNow;
        var refused = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } });
        JsonAssert.Error(refused, "device_offline");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "an offline device must fail at once, not after the timeout");
        var listed = await client.RequestAsync(new { op = "get", device = "lamp-1" });
        Assert.False(listed.GetProperty("device").GetProperty("online").GetBoolean());

        await bridge.Home["lamp-1"].ComeBackAsync();
        await client.WaitOnlineEventAsync("lamp-1", online: true);
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }));
    }

    [Fact]
    public async Task A_silent_device_times_out_and_the_next_command_works()
    {
        await using var bridge = await TestBridge.StartAsync(extra: "--Commands:ConfirmTimeout=00:00:01");
        await using var client = await bridge.ConnectAsync();
        var lamp = bridge.Home["lamp-1"];
        lamp.Faults.IgnoreCommands = true;
        var reply = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 42 } });
        JsonAssert.Error(reply, "timeout");
        lamp.Faults.IgnoreCommands = false;
        var next = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 43 } });
        JsonAssert.Ok(next);
        Assert.Equal(43, next.GetProperty("state").GetProperty("brightness").GetInt32());
    }

    [Fact]
    public async Task A_slow_device_within_the_bound_is_confirmed()
    {
        await using var bridge = await TestBridge.StartAsync(extra: "--Commands:ConfirmTimeout=00:00:03");
        await using var client = await bridge.ConnectAsync();
        bridge.Home["water-heater-1"].Faults.ReplyDelay = TimeSpan.FromMilliseconds(300);
        var reply = await client.RequestAsync(new { op = "set", device = "water-heater-1", state = new { target_temperature = 60 } });
        JsonAssert.Ok(reply);
        Assert.Equal(60, reply.GetProperty("state").GetProperty("target_temperature").GetDouble());
    }

    [Fact]
    public async Task Commands_to_one_device_are_serialised_and_all_confirmed()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var client = await bridge.ConnectAsync();
        var replies = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = i } })));
        for (var i = 0; i < replies.Length; i++)
        {
            JsonAssert.Ok(replies[i]);
            Assert.Equal(i + 1, replies[i].GetProperty("state").GetProperty("brightness").GetInt32());
        }
    }

    [Fact]
    public async Task Malformed_payloads_from_a_device_change_nothing()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var client = await bridge.ConnectAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on", brightness = 77 } }));
        var before = (await client.RequestAsync(new { op = "get", device = "lamp-1" })).GetProperty("device").GetProperty("state").GetRawText();
        foreach (var device in bridge.Home.Devices) await device.SendMalformedAsync();
        // A full command round trip after the garbage proves the bridge processed it and is still fine.
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "off" } }));
        var after = (await client.RequestAsync(new { op = "get", device = "lamp-1" })).GetProperty("device").GetProperty("state").GetRawText();
        Assert.Equal(before, after);
        var devices = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices");
        Assert.All(devices.EnumerateArray(), d => Assert.True(d.GetProperty("online").GetBoolean()));
    }

    [Fact]
    public async Task Known_devices_and_their_state_survive_a_restart_and_show_offline_until_they_return()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-persist-").FullName;
        try
        {
            await using (var bridge = await TestBridge.StartAsync(dir))
            {
                await using var client = await bridge.ConnectAsync();
                JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on", brightness = 64 } }));
            }
            // Same data directory, no simulated home: the devices are remembered, offline.
            await using (var bridge = await TestBridge.StartAsync(dir, demo: false))
            {
                await using var client = await bridge.ConnectAsync();
                var devices = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices").EnumerateArray()
                    .ToDictionary(d => d.GetProperty("id").GetString()!);
                Assert.Equal(9, devices.Count); // the demo home, its Tuya bulb included
                Assert.All(devices.Values, d => Assert.False(d.GetProperty("online").GetBoolean()));
                Assert.Equal(64, devices["lamp-1"].GetProperty("state").GetProperty("brightness").GetInt32());
                JsonAssert.Error(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "off" } }), "device_offline");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
