namespace Bridge.Service.Relay;

/// <summary>Exponential back-off with full jitter: after a relay restart thousands of bridges
/// redial spread over the window instead of all at the same instant.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, Random random)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        // Never below half the ceiling, so a failing relay is not hammered.
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }
}
