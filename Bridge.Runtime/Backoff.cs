namespace Bridge.Runtime;

/// <summary>The one back-off of the bridge, for everything that redials (relay link, MQTT broker,
/// serial lines, Yeelight and Tuya connections): the wait doubles per failed attempt from
/// <c>min</c> up to <c>max</c>. Discovery's schedules (UDP searches, mDNS browsing) space their
/// rounds with <see cref="Ceiling"/> alone: one bridge's probes need no spreading.</summary>
public static class Backoff
{
    /// <summary>The wait before retry number <paramref name="attempt"/> (0 for the first): min·2^attempt, at most max.</summary>
    public static TimeSpan Ceiling(int attempt, TimeSpan min, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 20))));

    /// <summary>The ceiling with jitter, between half the ceiling and the ceiling: after a relay or
    /// broker restart, thousands of bridges (or a home's devices) redial spread over the window
    /// instead of all at the same instant, and never below half, so a failing peer is not hammered.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, Random random)
    {
        var ceiling = Ceiling(attempt, min, max).TotalMilliseconds;
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }
}
