namespace Bridge.Service.Household;

/// <summary>A set of weekdays, as a timer's <c>days</c>: "mon" … "sun" on the wire.</summary>
public readonly record struct WeekDays(byte Mask)
{
    public static readonly string[] Names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static WeekDays Every => new(0x7F);

    public bool Contains(DayOfWeek day) => (Mask & (1 << (int)day)) != 0;

    public WeekDays With(DayOfWeek day) => new((byte)(Mask | (1 << (int)day)));

    public bool IsEmpty => Mask == 0;

    public static bool TryParseDay(string name, out DayOfWeek day)
    {
        var i = Array.IndexOf(Names, name);
        day = (DayOfWeek)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>The days in week order starting Monday, as people read a timer.</summary>
    public IEnumerable<string> InWeekOrder()
    {
        for (var i = 1; i <= 7; i++)
            if (Contains((DayOfWeek)(i % 7))) yield return Names[i % 7];
    }
}
