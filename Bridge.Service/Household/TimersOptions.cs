namespace Bridge.Service.Household;

/// <summary><c>Timers:*</c>: the home's time zone and how late a missed timer may still run.</summary>
public sealed class TimersOptions
{
    public const string Section = "Timers";

    /// <summary>An IANA zone name (e.g. Asia/Shanghai); absent: the machine's zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>A timer that fell due while the bridge was down runs at start if at most this late.</summary>
    public TimeSpan CatchUp { get; set; } = TimeSpan.FromMinutes(10);

    public TimeZoneInfo Zone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return $"Timers:TimeZone '{TimeZone}' is not a time zone this machine knows (an IANA name, e.g. Asia/Shanghai or America/New_York)";
        if (CatchUp < TimeSpan.Zero || CatchUp > TimeSpan.FromDays(1))
            yield return "Timers:CatchUp must be between 0 and 1 day (e.g. 00:10:00)";
    }
}
