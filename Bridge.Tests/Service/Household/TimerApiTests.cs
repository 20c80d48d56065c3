using Bridge.Service.Household;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Household;

/// <summary>Timers through the real API on the demo home, with the bridge on a fake clock in
/// Asia/Shanghai: next runs with their offset, timer_ran to subscribers, pause, delete, and a run
/// missed while the bridge was down caught up at start.</summary>
public sealed class TimerApiTests
{
    // Wednesday 2 December 2026, 06:00 in Shanghai.
    private static readonly DateTimeOffset WednesdayMorning = DateTimeOffset.Parse("2026-12-02T06:00:00+08:00");

    private static Task<TestBridge> StartAsync(FakeTimeProvider time, string? dir = null) =>
        TestBridge.StartAsync(dir, true, s => s.AddSingleton<TimeProvider>(time), "--Timers:TimeZone=Asia/Shanghai");

    private static object HeaterTimer(int target, bool enabled = true) => new
    {
        op = "timer_save",
        timer = new
        {
            id = "heater-morning", name = "早上热水", at = "06:30", days = new[] { "mon", "tue", "wed", "thu", "fri" }, enabled,
            actions = new[] { new { device = "water-heater-1", state = new { target_temperature = target } } },
        },
    };

    [Fact]
    public async Task A_timer_shows_its_next_run_runs_then_tells_subscribers_and_can_be_paused_and_deleted()
    {
        var time = new FakeTimeProvider(WednesdayMorning);
        await using var bridge = await StartAsync(time);
        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));

        var saved = await client.RequestAsync(HeaterTimer(55));
        JsonAssert.Ok(saved);
        var timer = saved.GetProperty("timer");
        Assert.Equal("2026-12-02T06:30:00+08:00", timer.GetProperty("next").GetString());
        Assert.Equal(["mon", "tue", "wed", "thu", "fri"], timer.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.True(timer.GetProperty("enabled").GetBoolean());
        Assert.Equal("06:30", timer.GetProperty("at").GetString());

        time.SetUtcNow(DateTimeOffset.Parse("2026-12-02T06:30:00+08:00"));
        var ran = await client.WaitEventAsync(e => e.GetProperty("event").GetString() == "timer_ran", what: "timer_ran");
        Assert.Equal("heater-morning", ran.GetProperty("timer").GetString());
        var result = ran.GetProperty("results")[0];
        Assert.Equal("water-heater-1", result.GetProperty("device").GetString());
        Assert.True(result.GetProperty("ok").GetBoolean(), result.GetRawText());
        Assert.Equal(55, result.GetProperty("state").GetProperty("target_temperature").GetDouble());

        var listed = (await client.RequestAsync(new { op = "timers" })).GetProperty("timers")[0];
        Assert.Equal("2026-12-03T06:30:00+08:00", listed.GetProperty("next").GetString());

        // Friday's run done, the weekend is skipped: Monday is next.
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-04T07:00:00+08:00"));
        var paused = (await client.RequestAsync(HeaterTimer(55, enabled: false))).GetProperty("timer");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, paused.GetProperty("next").ValueKind);
        var resumed = (await client.RequestAsync(HeaterTimer(55))).GetProperty("timer");
        Assert.Equal("2026-12-07T06:30:00+08:00", resumed.GetProperty("next").GetString());

        JsonAssert.Ok(await client.RequestAsync(new { op = "timer_delete", timer = "heater-morning" }));
        Assert.Equal(0, (await client.RequestAsync(new { op = "timers" })).GetProperty("timers").GetArrayLength());
    }

    [Fact]
    public async Task A_run_missed_while_the_bridge_was_down_runs_when_it_is_back_within_the_catch_up()
    {
        var dir = Directory.CreateTempSubdirectory("household-timers-").FullName;
        try
        {
            var time = new FakeTimeProvider(WednesdayMorning);
            await using (var bridge = await StartAsync(time, dir))
            {
                await using var client = await bridge.ConnectAsync(TokenScope.Install);
                JsonAssert.Ok(await client.RequestAsync(HeaterTimer(61)));
            }
            // Down from 06:00 to 06:35: five minutes late, within Timers:CatchUp (10 min).
            time.SetUtcNow(DateTimeOffset.Parse("2026-12-02T06:35:00+08:00"));
            await using var again = await StartAsync(time, dir);
            await using var phone = await again.ConnectAsync();
            await Wait.UntilAsync(async () =>
            {
                var heater = (await phone.RequestAsync(new { op = "get", device = "water-heater-1" })).GetProperty("device").GetProperty("state");
                return heater.GetProperty("target_temperature").GetDouble() == 61;
            }, TimeSpan.FromSeconds(15), "the caught-up run to set the heater to 61 °C");
            var next = (await phone.RequestAsync(new { op = "timers" })).GetProperty("timers")[0].GetProperty("next").GetString();
            Assert.Equal("2026-12-03T06:30:00+08:00", next);
            Assert.True(HouseholdFile.TryRead(File.ReadAllBytes(Path.Combine(dir, HouseholdFile.FileName)), out var onDisk, out var reason), reason);
            Assert.Equal(DateTimeOffset.Parse("2026-12-02T06:30:00+08:00"), onDisk.Timers["heater-morning"].Since);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
