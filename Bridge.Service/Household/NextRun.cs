namespace Bridge.Service.Household;

/// <summary>When a timer is next due: the first of its weekdays at its time of day, in the home's
/// zone, strictly after a given instant. Clock changes follow docs/protocol.md (timers): a time
/// the clocks skip (spring forward) runs that many minutes after the jump, as the clock before the
/// change would have reached it (02:30 → 03:30); a time that happens twice (fall back) runs once,
/// the first time.</summary>
public static class NextRun
{
    public static DateTimeOffset After(DateTimeOffset after, TimeOnly at, WeekDays days, TimeZoneInfo zone)
    {
        if (days.IsEmpty) throw new ArgumentException("a timer needs at least one day", nameof(days));
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime).AddDays(-1);
        // Ten dates from the day before cover a whole week after, even where a zone skips a date.
        for (var i = 0; i < 10; i++, date = date.AddDays(1))
        {
            if (!days.Contains(date.DayOfWeek)) continue;
            var due = Resolve(date.ToDateTime(at), zone);
            if (due > after) return due;
        }
        throw new InvalidOperationException($"no due time within ten days after {after:O} in {zone.Id}");
    }

    /// <summary>The instant a wall-clock time names in a zone, with the zone's offset at that instant.</summary>
    public static DateTimeOffset Resolve(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // In the gap: use the offset in force just before it, which lands after the jump.
            var before = local;
            do before = before.AddMinutes(-15);
            while (zone.IsInvalidTime(before));
            offset = zone.IsAmbiguousTime(before) ? zone.GetAmbiguousTimeOffsets(before).Min() : zone.GetUtcOffset(before);
        }
        else if (zone.IsAmbiguousTime(local))
        {
            // Twice: the larger offset is the earlier instant.
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero), zone);
    }
}
