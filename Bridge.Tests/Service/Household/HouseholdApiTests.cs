using System.Text.Json;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Household;

/// <summary>Names, rooms and scenes through the real API on the demo home.</summary>
public sealed class HouseholdApiTests
{
    private static string Name(JsonElement device) => device.GetProperty("name").GetString()!;
    private static JsonElement Room(JsonElement device) => device.GetProperty("room");

    [Fact]
    public async Task A_name_and_room_outlive_the_devices_rediscovery_and_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("household-api-").FullName;
        try
        {
            await using (var bridge = await TestBridge.StartAsync(dir))
            {
                await using var client = await bridge.ConnectAsync(TokenScope.Install);
                JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
                var reply = await client.RequestAsync(new { op = "update", device = "lamp-1", name = "客厅台灯", room = "客厅" });
                JsonAssert.Ok(reply);
                Assert.Equal("客厅台灯", Name(reply.GetProperty("device")));
                Assert.Equal("客厅", Room(reply.GetProperty("device")).GetString());
                var changed = await client.WaitEventAsync(e => e.GetProperty("event").GetString() == "device_changed", what: "device_changed");
                Assert.Equal("客厅台灯", Name(changed.GetProperty("device")));
                Assert.Equal("lamp-1", changed.GetProperty("device").GetProperty("id").GetString());

                // The lamp drops off and announces itself again under its own name: the household's wins.
                await bridge.Home["lamp-1"].GoOfflineAsync();
                await client.WaitOnlineEventAsync("lamp-1", online: false);
                await bridge.Home["lamp-1"].ComeBackAsync();
                await client.WaitOnlineEventAsync("lamp-1", online: true);
                var got = (await client.RequestAsync(new { op = "get", device = "lamp-1" })).GetProperty("device");
                Assert.Equal(("客厅台灯", "客厅"), (Name(got), Room(got).GetString()));

                // Only the room: null clears it, the name stays.
                var cleared = (await client.RequestAsync(new { op = "update", device = "ac-1", room = "卧室" })).GetProperty("device");
                Assert.Equal(("Bedroom air conditioner", "卧室"), (Name(cleared), Room(cleared).GetString()));
                cleared = (await client.RequestAsync(new { op = "update", device = "ac-1", room = (string?)null })).GetProperty("device");
                Assert.Equal(JsonValueKind.Null, Room(cleared).ValueKind);
            }
            await using (var again = await TestBridge.StartAsync(dir))
            {
                await using var client = await again.ConnectAsync();
                var devices = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices").EnumerateArray().ToArray();
                var lamp = devices.Single(d => d.GetProperty("id").GetString() == "lamp-1");
                Assert.Equal(("客厅台灯", "客厅"), (Name(lamp), Room(lamp).GetString()));
                var heater = devices.Single(d => d.GetProperty("id").GetString() == "water-heater-1");
                Assert.Equal(("Bathroom water heater", JsonValueKind.Null), (Name(heater), Room(heater).ValueKind));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_removed_device_is_forgotten_and_comes_back_as_new_when_it_announces_itself()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "update", device = "lamp-1", name = "旧台灯", room = "客厅" }));
        await bridge.Home["lamp-1"].GoOfflineAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "remove", device = "lamp-1" }));
        await client.WaitEventAsync(e => e.GetProperty("event").GetString() == "device_removed" && e.GetProperty("device").GetString() == "lamp-1",
            what: "device_removed");
        JsonAssert.Error(await client.RequestAsync(new { op = "get", device = "lamp-1" }), "unknown_device");
        JsonAssert.Error(await client.RequestAsync(new { op = "remove", device = "lamp-1" }), "unknown_device");

        await bridge.Home["lamp-1"].ComeBackAsync();
        var added = await client.WaitEventAsync(e => e.GetProperty("event").GetString() == "device_added", what: "device_added");
        Assert.Equal("lamp-1", added.GetProperty("device").GetProperty("id").GetString());
        Assert.Equal("Living room lamp", Name(added.GetProperty("device")));
        Assert.Equal(JsonValueKind.Null, Room(added.GetProperty("device")).ValueKind);
    }

    [Fact]
    public async Task A_scene_runs_all_actions_at_once_and_reports_the_silent_device_and_the_confirmed_ones()
    {
        await using var bridge = await TestBridge.StartAsync(null, true, "--Commands:ConfirmTimeout=00:00:01");
        await using var installer = await bridge.ConnectAsync(TokenScope.Install);
        var save = await installer.RequestAsync(new
        {
            op = "scene_save",
            scene = new
            {
                id = "leave-home", name = "离家",
                actions = new object[]
                {
                    new { device = "lamp-1", state = new { power = "off" } },
                    new { device = "ac-1", state = new { power = "off" } },
                    new { device = "water-heater-1", state = new { target_temperature = 45 } },
                    new { device = "shellyplusplugs-e86beae8b1c0", state = new { power = "off" } },
                },
            },
        });
        JsonAssert.Ok(save);
        Assert.Equal("离家", save.GetProperty("scene").GetProperty("name").GetString());
        Assert.Equal(4, save.GetProperty("scene").GetProperty("actions").GetArrayLength());

        bridge.Home["ac-1"].Faults.IgnoreCommands = true;
        await using var phone = await bridge.ConnectAsync(TokenScope.Control);
        var scenes = await phone.RequestAsync(new { op = "scenes" });
        Assert.Equal("leave-home", Assert.Single(scenes.GetProperty("scenes").EnumerateArray().ToArray()).GetProperty("id").GetString());

        var started = DateTime.UtcNow;
        var run = await phone.RequestAsync(new { op = "scene_run", scene = "leave-home" });
        JsonAssert.Ok(run);
        var results = run.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["lamp-1", "ac-1", "water-heater-1", "shellyplusplugs-e86beae8b1c0"], results.Select(r => r.GetProperty("device").GetString()));
        Assert.False(results[1].GetProperty("ok").GetBoolean());
        Assert.Equal("timeout", results[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("off", results[0].GetProperty("state").GetProperty("power").GetString());
        Assert.Equal(45, results[2].GetProperty("state").GetProperty("target_temperature").GetDouble());
        Assert.Equal("off", results[3].GetProperty("state").GetProperty("power").GetString());
        Assert.All(new[] { results[0], results[2], results[3] }, r => Assert.True(r.GetProperty("ok").GetBoolean()));
        // All at once: the whole run takes one confirmation timeout, not one per device.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5), "the scene's actions went out one after the other");

        JsonAssert.Ok(await installer.RequestAsync(new { op = "scene_delete", scene = "leave-home" }));
        Assert.Equal(0, (await phone.RequestAsync(new { op = "scenes" })).GetProperty("scenes").GetArrayLength());
        JsonAssert.Error(await phone.RequestAsync(new { op = "scene_run", scene = "leave-home" }), "bad_request");
    }

    [Fact]
    public async Task A_control_token_runs_and_lists_but_cannot_change_the_household()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var installer = await bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await installer.RequestAsync(new { op = "scene_save", scene = new { id = "on", actions = new[] { new { device = "lamp-1", state = new { power = "on" } } } } }));
        await using var phone = await bridge.ConnectAsync(TokenScope.Control);
        var scene = new { id = "x", actions = new[] { new { device = "lamp-1", state = new { power = "on" } } } };
        JsonAssert.Error(await phone.RequestAsync(new { op = "scene_save", scene }), "forbidden");
        JsonAssert.Error(await phone.RequestAsync(new { op = "scene_delete", scene = "on" }), "forbidden");
        JsonAssert.Error(await phone.RequestAsync(new { op = "update", device = "lamp-1", name = "x" }), "forbidden");
        JsonAssert.Error(await phone.RequestAsync(new { op = "remove", device = "lamp-1" }), "forbidden");
        JsonAssert.Error(await phone.RequestAsync(new { op = "timer_save", timer = new { id = "t", at = "06:30", scene = "on" } }), "forbidden");
        JsonAssert.Error(await phone.RequestAsync(new { op = "timer_delete", timer = "t" }), "forbidden");
        JsonAssert.Ok(await phone.RequestAsync(new { op = "scenes" }));
        JsonAssert.Ok(await phone.RequestAsync(new { op = "timers" }));
        var run = await phone.RequestAsync(new { op = "scene_run", scene = "on" });
        JsonAssert.Ok(run);
        Assert.Equal("on", run.GetProperty("results")[0].GetProperty("state").GetProperty("power").GetString());
        Assert.Equal(["on"], (await phone.RequestAsync(new { op = "scenes" })).GetProperty("scenes").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }
}

/// <summary>Start-up with a damaged household file.</summary>
public sealed class HouseholdStartupTests
{
    [Fact]
    public async Task A_damaged_household_file_stops_start_up_and_is_left_alone()
    {
        var dir = Directory.CreateTempSubdirectory("household-damaged-").FullName;
        try
        {
            var path = Path.Combine(dir, Bridge.Service.Household.HouseholdFile.FileName);
            const string damaged = """{"version":1,"devices":{},"scenes":[{"id":"leave-home","actions":[""";
            File.WriteAllText(path, damaged);
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestBridge.StartAsync(dir, demo: false));
            Assert.Contains(path, e.Message);
            Assert.Contains("damaged", e.Message);
            Assert.Equal(damaged, File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Timer_settings_are_checked_at_start()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestBridge.StartAsync(null, false, "--Timers:TimeZone=Mars/Olympus_Mons", "--Timers:CatchUp=-00:01:00"));
        Assert.Contains("Timers:TimeZone 'Mars/Olympus_Mons'", e.Message);
        Assert.Contains("Timers:CatchUp", e.Message);
    }
}
