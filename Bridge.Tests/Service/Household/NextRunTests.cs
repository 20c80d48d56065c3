using Bridge.Service.Household;

namespace Bridge.Tests.Service.Household;

/// <summary>When a timer runs next: weekdays, month and year ends, and the clock changes of a zone
/// with daylight saving (America/New_York) and one without (Asia/Shanghai).</summary>
public sealed class NextRunTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static string Next(string after, string at, TimeZoneInfo zone, WeekDays? days = null) =>
        HouseholdWriter.LocalTime(NextRun.After(At(after), TimeOnly.Parse(at), days ?? WeekDays.Every, zone));

    [Fact]
    public void Every_set_of_weekdays_gives_the_first_listed_day_at_the_time()
    {
        // Wednesday 2 December 2026, 10:00 in Shanghai; a reference that walks the days one by one.
        var after = At("2026-12-02T10:00:00+08:00");
        foreach (var at in new[] { new TimeOnly(6, 30), new TimeOnly(10, 0), new TimeOnly(23, 59) })
        {
            for (var mask = 1; mask < 128; mask++)
            {
                var days = new WeekDays((byte)mask);
                var expected = Enumerable.Range(0, 8)
                    .Select(i => new DateTimeOffset(new DateOnly(2026, 12, 2).AddDays(i).ToDateTime(at), TimeSpan.FromHours(8)))
                    .First(t => t > after && days.Contains(t.DayOfWeek));
                Assert.Equal(expected, NextRun.After(after, at, days, Shanghai));
            }
        }
    }

    [Fact]
    public void Weekdays_only_skip_the_weekend()
    {
        var weekdays = new WeekDays(0b0111110);
        // Friday 4 December 2026 after 06:30 → Monday the 7th.
        Assert.Equal("2026-12-07T06:30:00+08:00", Next("2026-12-04T07:00:00+08:00", "06:30", Shanghai, weekdays));
        Assert.Equal("2026-12-04T06:30:00+08:00", Next("2026-12-04T06:29:59+08:00", "06:30", Shanghai, weekdays));
        // Exactly at the due time the run is handled: the next one is the following weekday.
        Assert.Equal("2026-12-07T06:30:00+08:00", Next("2026-12-04T06:30:00+08:00", "06:30", Shanghai, weekdays));
    }

    [Theory]
    [InlineData("2026-01-31T23:59:00+08:00", "00:00", "2026-02-01T00:00:00+08:00")]
    [InlineData("2026-02-28T23:30:00+08:00", "06:30", "2026-03-01T06:30:00+08:00")]
    [InlineData("2028-02-28T23:30:00+08:00", "06:30", "2028-02-29T06:30:00+08:00")]
    [InlineData("2026-04-30T12:00:00+08:00", "11:00", "2026-05-01T11:00:00+08:00")]
    [InlineData("2026-12-31T23:59:30+08:00", "23:59", "2027-01-01T23:59:00+08:00")]
    [InlineData("2026-12-31T22:00:00+08:00", "00:00", "2027-01-01T00:00:00+08:00")]
    public void Month_and_year_ends_roll_over(string after, string at, string expected) =>
        Assert.Equal(expected, Next(after, at, Shanghai));

    [Fact]
    public void The_end_of_a_month_on_a_chosen_weekday()
    {
        // Saturdays only: after Saturday 31 January 2026 → Saturday 7 February.
        var saturday = new WeekDays(1 << (int)DayOfWeek.Saturday);
        Assert.Equal("2026-02-07T08:00:00+08:00", Next("2026-01-31T09:00:00+08:00", "08:00", Shanghai, saturday));
    }

    [Fact]
    public void New_York_keeps_the_wall_clock_time_across_both_changes()
    {
        // Clocks go forward on 8 March 2026 and back on 1 November 2026: 06:30 stays 06:30 local.
        Assert.Equal("2026-03-07T06:30:00-05:00", Next("2026-03-06T12:00:00-05:00", "06:30", NewYork));
        Assert.Equal("2026-03-08T06:30:00-04:00", Next("2026-03-07T12:00:00-05:00", "06:30", NewYork));
        Assert.Equal("2026-11-01T06:30:00-05:00", Next("2026-10-31T12:00:00-04:00", "06:30", NewYork));
    }

    [Fact]
    public void New_York_a_time_the_clocks_skip_runs_an_hour_later_on_that_day_only()
    {
        // 02:30 does not happen on 8 March 2026 (02:00 → 03:00): it runs at 03:30 EDT, which is
        // where 02:30 EST would have been, and at 02:30 again the next day.
        var skipped = NextRun.After(At("2026-03-07T12:00:00-05:00"), new TimeOnly(2, 30), WeekDays.Every, NewYork);
        Assert.Equal("2026-03-08T03:30:00-04:00", HouseholdWriter.LocalTime(skipped));
        Assert.Equal(At("2026-03-08T07:30:00Z"), skipped);
        Assert.Equal("2026-03-09T02:30:00-04:00", HouseholdWriter.LocalTime(NextRun.After(skipped, new TimeOnly(2, 30), WeekDays.Every, NewYork)));
    }

    [Fact]
    public void New_York_a_time_that_happens_twice_runs_once_the_first_time()
    {
        // 01:30 happens twice on 1 November 2026 (02:00 EDT → 01:00 EST): once, at 01:30 EDT.
        var first = NextRun.After(At("2026-10-31T12:00:00-04:00"), new TimeOnly(1, 30), WeekDays.Every, NewYork);
        Assert.Equal("2026-11-01T01:30:00-04:00", HouseholdWriter.LocalTime(first));
        var then = NextRun.After(first, new TimeOnly(1, 30), WeekDays.Every, NewYork);
        Assert.Equal("2026-11-02T01:30:00-05:00", HouseholdWriter.LocalTime(then));
        // Also when asked from inside the repeated hour, after the first 01:30 went by.
        var fromRepeat = NextRun.After(At("2026-11-01T01:10:00-05:00"), new TimeOnly(1, 30), WeekDays.Every, NewYork);
        Assert.Equal("2026-11-02T01:30:00-05:00", HouseholdWriter.LocalTime(fromRepeat));
    }

    [Fact]
    public void Shanghai_has_no_clock_changes_on_New_Yorks_dates()
    {
        Assert.Equal("2026-03-08T02:30:00+08:00", Next("2026-03-07T12:00:00+08:00", "02:30", Shanghai));
        Assert.Equal("2026-11-01T01:30:00+08:00", Next("2026-10-31T12:00:00+08:00", "01:30", Shanghai));
        Assert.Equal("2026-11-02T01:30:00+08:00", Next("2026-11-01T01:30:00+08:00", "01:30", Shanghai));
        // A whole year of daily runs is exactly one day apart, always at +08:00.
        var t = At("2026-01-01T00:00:00+08:00");
        for (var i = 0; i < 366; i++)
        {
            var next = NextRun.After(t, new TimeOnly(6, 30), WeekDays.Every, Shanghai);
            Assert.Equal(TimeSpan.FromHours(8), next.Offset);
            if (i > 0) Assert.Equal(TimeSpan.FromDays(1), next - t);
            t = next;
        }
    }

    [Fact]
    public void Daily_runs_in_New_York_over_a_year_are_one_local_day_apart()
    {
        var t = At("2026-01-01T00:00:00-05:00");
        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < 365; i++)
        {
            var next = NextRun.After(t, new TimeOnly(6, 30), WeekDays.Every, NewYork);
            Assert.Equal(new TimeOnly(6, 30), TimeOnly.FromDateTime(next.DateTime));
            Assert.True(seen.Add(DateOnly.FromDateTime(next.DateTime)), "each date at most once");
            Assert.True(next - t is { TotalHours: >= 23 and <= 25 } || i == 0);
            t = next;
        }
    }
}
