using System.Text.Json;
using Bridge.Service.Household;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Household;

/// <summary>The bad input of issue 14 through the real API: each gets a clear error naming what is
/// wrong, the household (in memory and on disk) stays as it was, and the connection stays up.</summary>
public sealed class HouseholdBadInputTests : IClassFixture<DemoBridgeFixture>
{
    private readonly TestBridge _bridge;

    public HouseholdBadInputTests(DemoBridgeFixture fixture) => _bridge = fixture.Bridge;

    private string FilePath => Path.Combine(_bridge.DataDir, HouseholdFile.FileName);

    private static object Action(string device, object state) => new { device, state };

    /// <summary>Sends a request that must fail; checks the code, a word of the message, and that nothing changed.</summary>
    private async Task Refused(ApiClient client, object request, string code, params string[] mentions)
    {
        var scenesBefore = (await client.RequestAsync(new { op = "scenes" })).GetProperty("scenes").GetRawText();
        var timersBefore = (await client.RequestAsync(new { op = "timers" })).GetProperty("timers").GetRawText();
        var fileBefore = File.Exists(FilePath) ? File.ReadAllBytes(FilePath) : null;
        var reply = await client.RequestAsync(request);
        JsonAssert.Error(reply, code);
        var message = reply.GetProperty("error").GetProperty("message").GetString()!;
        foreach (var m in mentions) Assert.Contains(m, message);
        Assert.True(message.Length < 400, "a short message, not the input echoed: " + message.Length);
        Assert.Equal(scenesBefore, (await client.RequestAsync(new { op = "scenes" })).GetProperty("scenes").GetRawText());
        Assert.Equal(timersBefore, (await client.RequestAsync(new { op = "timers" })).GetProperty("timers").GetRawText());
        Assert.Equal(fileBefore, File.Exists(FilePath) ? File.ReadAllBytes(FilePath) : null);
    }

    [Fact]
    public async Task Actions_are_checked_against_the_devices_naming_the_action()
    {
        await using var client = await _bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "scene_save", scene = new { id = "keep", actions = new[] { Action("lamp-1", new { power = "on" }) } } }));
        await Refused(client, new { op = "scene_save", scene = new { id = "keep", actions = new[] { Action("lamp-1", new { power = "off" }), Action("no-such-lamp", new { power = "on" }) } } },
            "unknown_device", "action 1", "no-such-lamp");
        await Refused(client, new { op = "scene_save", scene = new { id = "keep", actions = new[] { Action("lamp-1", new { brightness = 500 }) } } },
            "invalid_value", "action 0", "lamp-1", "brightness");
        await Refused(client, new { op = "scene_save", scene = new { id = "x", actions = new[] { Action("water-heater-1", new { target_temperature = 90 }) } } },
            "invalid_value", "action 0", "target_temperature");
        await Refused(client, new { op = "scene_save", scene = new { id = "x", actions = new[] { Action("ac-1", new { current_temperature = 20 }) } } },
            "unsupported_capability", "action 0");
        await Refused(client, new { op = "timer_save", timer = new { id = "t", at = "06:30", actions = new[] { Action("ghost", new { power = "on" }) } } },
            "unknown_device", "action 0", "ghost");
        Assert.Equal("lamp-1", (await client.RequestAsync(new { op = "scenes" })).GetProperty("scenes")[0].GetProperty("actions")[0].GetProperty("device").GetString());
    }

    [Fact]
    public async Task Names_that_are_too_long_or_hold_control_characters_are_refused_and_markup_is_text()
    {
        await using var client = await _bridge.ConnectAsync(TokenScope.Install);
        await Refused(client, new { op = "update", device = "lamp-1", name = new string('长', 10_000) }, "invalid_value", "10000", "64");
        await Refused(client, new { op = "update", device = "lamp-1", name = "bell\u0007" }, "invalid_value", "control character");
        await Refused(client, new { op = "update", device = "lamp-1", room = "\u001b[31m" }, "invalid_value", "control character");
        await Refused(client, new { op = "update", device = "lamp-1", name = "" }, "invalid_value", "empty");
        await Refused(client, new { op = "update", device = "lamp-1" }, "bad_request", "name");
        await Refused(client, new { op = "update", device = "lamp-1", name = 5 }, "bad_request", "string");
        await Refused(client, new { op = "update", device = "ghost", name = "x" }, "unknown_device");
        await Refused(client, new { op = "scene_save", scene = new { id = "s", name = new string('x', 10_000), actions = new[] { Action("lamp-1", new { power = "on" }) } } },
            "invalid_value", "10000");
        var markup = await client.RequestAsync(new { op = "update", device = "plug-x-not-here", name = "<script>alert(1)</script>" });
        JsonAssert.Error(markup, "unknown_device");
        var ok = await client.RequestAsync(new { op = "update", device = "ac-1", name = "<script>alert(1)</script>" });
        JsonAssert.Ok(ok);
        Assert.Equal("<script>alert(1)</script>", ok.GetProperty("device").GetProperty("name").GetString());
        JsonAssert.Ok(await client.RequestAsync(new { op = "update", device = "ac-1", name = "Bedroom air conditioner" }));
    }

    [Fact]
    public async Task A_scene_of_ten_thousand_actions_duplicates_and_a_scene_that_names_itself_are_refused()
    {
        await using var client = await _bridge.ConnectAsync(TokenScope.Install);
        // Ten thousand actions do not fit in one 64 KiB frame: refused as a frame, the connection stays.
        var huge = JsonSerializer.Serialize(new
        {
            id = "huge", op = "scene_save",
            scene = new { id = "huge", actions = Enumerable.Range(0, 10_000).Select(i => Action($"lamp-{i}", new { power = "on" })).ToArray() },
        });
        var refused = await client.SendRawAsync(huge);
        JsonAssert.Error(refused, "bad_request");
        // Short enough for a frame, still over the limit of actions.
        await Refused(client, new { op = "scene_save", scene = new { id = "many", actions = Enumerable.Range(0, 1000).Select(i => new { device = $"d{i}", state = new { } }).ToArray() } },
            "bad_request", "1000", HouseholdParser.MaxActions.ToString());
        await Refused(client, new { op = "scene_save", scene = new { id = "dup", actions = new[] { Action("lamp-1", new { power = "on" }), Action("lamp-1", new { power = "off" }) } } },
            "bad_request", "action 1", "action 0");
        await Refused(client, new { op = "scene_save", scene = new { id = "self", actions = new object[] { new { scene = "self" } } } }, "bad_request", "action 0");
        await Refused(client, new { op = "scene_save", scene = new { id = "has space", actions = new[] { Action("lamp-1", new { power = "on" }) } } }, "invalid_value", "id");
        await Refused(client, new { op = "scene_save" }, "bad_request", "scene");
        await Refused(client, new { op = "scene_run", scene = "nope" }, "bad_request", "nope");
        await Refused(client, new { op = "scene_delete", scene = 7 }, "bad_request");
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Bad_timers_are_refused()
    {
        await using var client = await _bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "scene_save", scene = new { id = "used", actions = new[] { Action("lamp-1", new { power = "on" }) } } }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "timer_save", timer = new { id = "uses-it", at = "07:00", scene = "used" } }));
        await Refused(client, new { op = "timer_save", timer = new { id = "t", at = "25:61", scene = "used" } }, "invalid_value", "25:61");
        await Refused(client, new { op = "timer_save", timer = new { id = "t", at = "06:30", scene = "missing" } }, "bad_request", "missing");
        await Refused(client, new { op = "timer_save", timer = new { id = "t", at = "06:30", days = new[] { "mon", "mon" }, scene = "used" } }, "bad_request", "twice");
        await Refused(client, new { op = "timer_save", timer = new { id = "t", at = "06:30", days = new[] { "someday" }, scene = "used" } }, "invalid_value", "someday");
        await Refused(client, new { op = "timer_delete", timer = "never-saved" }, "bad_request", "never-saved");
        await Refused(client, new { op = "scene_delete", scene = "used" }, "bad_request", "uses-it");
        JsonAssert.Ok(await client.RequestAsync(new { op = "timer_delete", timer = "uses-it" }));
        JsonAssert.Ok(await client.RequestAsync(new { op = "scene_delete", scene = "used" }));
    }

    [Fact]
    public async Task Two_clients_saving_one_id_at_once_leave_one_whole_scene()
    {
        await using var a = await _bridge.ConnectAsync(TokenScope.Install);
        await using var b = await _bridge.ConnectAsync(TokenScope.Install);
        var saves = Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            a.RequestAsync(new { op = "scene_save", scene = new { id = "race", name = $"a{i}", actions = new[] { Action("lamp-1", new { power = "on" }) } } }),
            b.RequestAsync(new { op = "scene_save", scene = new { id = "race", name = $"b{i}", actions = new[] { Action("ac-1", new { power = "off" }), Action("lamp-1", new { power = "off" }) } } }),
        }).ToArray();
        foreach (var reply in await Task.WhenAll(saves)) JsonAssert.Ok(reply);
        var scene = (await a.RequestAsync(new { op = "scenes" })).GetProperty("scenes").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "race");
        var name = scene.GetProperty("name").GetString()!;
        Assert.Equal(name[0] == 'a' ? 1 : 2, scene.GetProperty("actions").GetArrayLength());
        Assert.True(HouseholdFile.TryRead(File.ReadAllBytes(FilePath), out var onDisk, out var reason), reason);
        Assert.Equal(name, onDisk.Scenes["race"].Name);
        JsonAssert.Ok(await a.RequestAsync(new { op = "scene_delete", scene = "race" }));
    }
}
