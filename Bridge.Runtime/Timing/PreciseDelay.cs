using System.Diagnostics;

namespace Bridge.Runtime.Timing;

/// <summary>Waits that must end neither early nor much late, such as a serial line's 3.5-character
/// silence (Bridge.Protocols' ModbusRtuTiming says how long; this waits it out).</summary>
public static class PreciseDelay
{
    /// <summary>Waits <paramref name="span"/> no shorter and little longer. Timers fire on a
    /// millisecond tick, so a 3.65 ms wait could end after 3 ms (too early for t3.5) or after 5;
    /// on the real clock the last stretch is spun. A fake clock (tests) just gets the delay.</summary>
    public static async Task WaitAsync(TimeSpan span, TimeProvider time, CancellationToken ct)
    {
        if (span <= TimeSpan.Zero) return;
        if (time != TimeProvider.System)
        {
            await Task.Delay(span, time, ct).ConfigureAwait(false);
            return;
        }
        var until = Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);
        var coarse = span - TimeSpan.FromMilliseconds(1.5);
        if (coarse > TimeSpan.Zero) await Task.Delay(coarse, time, ct).ConfigureAwait(false);
        while (Stopwatch.GetTimestamp() < until)
        {
            ct.ThrowIfCancellationRequested();
            Thread.SpinWait(20);
        }
    }
}
