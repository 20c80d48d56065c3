using Bridge.Service.Household;

namespace Bridge.Tests.Service.Household;

/// <summary>Timers on a fake clock: they run at their time, once, across clock changes and
/// restarts; a missed run is caught up only if it is late by at most Timers:CatchUp.</summary>
public sealed class TimerSchedulerTests
{
    // Friday 6 March 2026, 12:00 in New York (EST, -05:00); clocks go forward on Sunday the 8th.
    private static readonly DateTimeOffset FridayNoon = new(2026, 3, 6, 12, 0, 0, TimeSpan.FromHours(-5));

    private const string Heater = """{"id":"heater-morning","name":"早上热水","at":"06:30","actions":[{"device":"heater-1","state":{"power":"on"}}]}""";

    private static string Local(DateTimeOffset t) => HouseholdWriter.LocalTime(t);

    [Fact]
    public async Task A_timer_runs_at_its_time_once_a_day_with_its_devices_confirmed()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer(Heater);
        await rig.StartAsync();
        Assert.Equal("2026-03-07T06:30:00-05:00", Local(rig.Scheduler.NextFor(rig.Store.Current.Timers["heater-morning"])!.Value));

        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-07T06:29:59-05:00"));
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-07T06:30:00-05:00"));
        var run = await HouseholdRig.Next(rig.Runs, "run on Saturday");
        Assert.Equal("heater-morning", run.Timer);
        Assert.Equal("2026-03-07T06:30:00-05:00", Local(run.Due));
        var result = Assert.Single(run.Results);
        Assert.Null(result.Failure);
        Assert.Contains(result.State!, kv => kv.Key == "power" && kv.Value == Bridge.Protocols.Model.StateValue.Of("on"));
        Assert.Equal("heater-1", await HouseholdRig.Next(rig.Sent, "command"));

        // Sunday: the clocks went forward overnight, the heater still comes on at 06:30 local.
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-08T06:30:00-04:00"));
        var sunday = await HouseholdRig.Next(rig.Runs, "run on Sunday");
        Assert.Equal("2026-03-08T06:30:00-04:00", Local(sunday.Due));
        Assert.Equal("heater-1", await HouseholdRig.Next(rig.Sent, "command"));
        Assert.False(rig.Runs.Reader.TryRead(out var extra), "one run per due time, got also " + extra);
    }

    [Fact]
    public async Task A_time_in_the_spring_forward_gap_runs_once_right_after_the_jump()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer("""{"id":"night","at":"02:30","actions":[{"device":"lamp-1","state":{"power":"off"}}]}""");
        await rig.StartAsync();
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-07T02:30:00-05:00"));
        Assert.Equal("2026-03-07T02:30:00-05:00", Local((await HouseholdRig.Next(rig.Runs, "Saturday's run")).Due));

        // 02:00 EST → 03:00 EDT: 02:30 never shows on the clock; the run comes at 03:30 EDT.
        Assert.Equal("2026-03-08T03:30:00-04:00", Local(rig.Scheduler.NextFor(rig.Store.Current.Timers["night"])!.Value));
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-08T03:30:00-04:00"));
        Assert.Equal("2026-03-08T03:30:00-04:00", Local((await HouseholdRig.Next(rig.Runs, "Sunday's run")).Due));
        Assert.Equal("2026-03-09T02:30:00-04:00", Local(rig.Scheduler.NextFor(rig.Store.Current.Timers["night"])!.Value));
    }

    [Fact]
    public async Task A_time_in_the_fall_back_repeat_runs_once()
    {
        // Saturday 31 October 2026, noon EDT; 01:30 happens twice on 1 November.
        await using var rig = new HouseholdRig(new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.FromHours(-4)));
        rig.SaveTimer("""{"id":"night","at":"01:30","actions":[{"device":"lamp-1","state":{"power":"off"}}]}""");
        await rig.StartAsync();
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-01T01:30:00-04:00"));
        Assert.Equal("2026-11-01T01:30:00-04:00", Local((await HouseholdRig.Next(rig.Runs, "first 01:30")).Due));
        // The second 01:30 (EST) passes without a run; the next is Monday's.
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-01T01:30:00-05:00"));
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T01:30:00-05:00"));
        Assert.Equal("2026-11-02T01:30:00-05:00", Local((await HouseholdRig.Next(rig.Runs, "Monday's run")).Due));
        Assert.False(rig.Runs.Reader.TryRead(out var extra), "the repeated hour must not run the timer again, got " + extra);
    }

    [Fact]
    public async Task A_run_missed_while_the_bridge_was_down_is_caught_up_once_across_restarts()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer(Heater);
        await rig.StartAsync();
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-07T06:00:00-05:00"));

        // Down from 06:00 to 06:35: five minutes late is within the ten of Timers:CatchUp.
        await rig.RestartAsync(TimeSpan.FromMinutes(35));
        var caughtUp = await HouseholdRig.Next(rig.Runs, "catch-up run");
        Assert.Equal("2026-03-07T06:30:00-05:00", Local(caughtUp.Due));
        Assert.Null(Assert.Single(caughtUp.Results).Failure);

        // Another restart at once: the due time is on disk as handled, so it does not run again.
        await rig.RestartAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("2026-03-08T06:30:00-04:00", Local(rig.Scheduler.NextFor(rig.Store.Current.Timers["heater-morning"])!.Value));
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-08T06:30:00-04:00"));
        Assert.Equal("2026-03-08T06:30:00-04:00", Local((await HouseholdRig.Next(rig.Runs, "Sunday's run")).Due));
        Assert.False(rig.Runs.Reader.TryRead(out var extra), "Saturday's run must not repeat after a restart, got " + extra);
    }

    [Fact]
    public async Task A_run_missed_by_more_than_the_catch_up_is_skipped_and_the_next_day_runs()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer(Heater);
        await rig.StartAsync();
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-07T06:00:00-05:00"));

        // Down for an hour: 06:30 is 30 minutes late by 07:00.
        await rig.RestartAsync(TimeSpan.FromHours(1));
        var (timer, due) = await HouseholdRig.Next(rig.Skips, "skipped run");
        Assert.Equal("heater-morning", timer);
        Assert.Equal("2026-03-07T06:30:00-05:00", Local(due));
        Assert.Equal(due, rig.Store.Current.Timers["heater-morning"].Since);
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-08T06:30:00-04:00"));
        Assert.Equal("2026-03-08T06:30:00-04:00", Local((await HouseholdRig.Next(rig.Runs, "Sunday's run")).Due));
        Assert.False(rig.Runs.Reader.TryRead(out var extra), "the skipped run must not run, got " + extra);
    }

    [Fact]
    public async Task Days_away_only_the_latest_missed_run_can_be_caught_up()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer(Heater);
        await rig.StartAsync();
        // Down from Friday noon to Monday 06:35: Saturday's and Sunday's runs are gone, Monday's is caught up.
        await rig.RestartAsync(DateTimeOffset.Parse("2026-03-09T06:35:00-04:00") - rig.Time.GetUtcNow());
        Assert.Equal("2026-03-09T06:30:00-04:00", Local((await HouseholdRig.Next(rig.Runs, "Monday's catch-up")).Due));
        Assert.False(rig.Runs.Reader.TryRead(out var extra), "only one run, got also " + extra);
    }

    [Fact]
    public async Task A_paused_timer_does_not_run_and_weekdays_are_kept()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer("""{"id":"paused","at":"06:30","enabled":false,"actions":[{"device":"lamp-1","state":{"power":"on"}}]}""");
        rig.SaveTimer("""{"id":"weekdays","at":"06:31","days":["mon","tue","wed","thu","fri"],"actions":[{"device":"heater-1","state":{"power":"on"}}]}""");
        await rig.StartAsync();
        Assert.Null(rig.Scheduler.NextFor(rig.Store.Current.Timers["paused"]));
        Assert.Equal("2026-03-09T06:31:00-04:00", Local(rig.Scheduler.NextFor(rig.Store.Current.Timers["weekdays"])!.Value));
        foreach (var day in new[] { "2026-03-07T06:31:00-05:00", "2026-03-08T06:31:00-04:00", "2026-03-09T06:31:00-04:00" })
            rig.Time.SetUtcNow(DateTimeOffset.Parse(day));
        var run = await HouseholdRig.Next(rig.Runs, "Monday's run");
        Assert.Equal(("weekdays", "2026-03-09T06:31:00-04:00"), (run.Timer, Local(run.Due)));
        Assert.False(rig.Runs.Reader.TryRead(out var extra), "neither the paused timer nor the weekend ran, got " + extra);
    }

    [Fact]
    public async Task A_run_is_on_disk_as_handled_before_its_result()
    {
        await using var rig = new HouseholdRig(FridayNoon);
        rig.SaveTimer(Heater);
        await rig.StartAsync();
        rig.Time.SetUtcNow(DateTimeOffset.Parse("2026-03-07T06:30:00-05:00"));
        var run = await HouseholdRig.Next(rig.Runs, "run");
        Assert.True(HouseholdFile.TryRead(File.ReadAllBytes(rig.Store.PathName), out var onDisk, out var reason), reason);
        Assert.Equal(run.Due, onDisk.Timers["heater-morning"].Since);
    }
}
