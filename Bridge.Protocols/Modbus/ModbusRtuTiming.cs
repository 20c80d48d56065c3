using System.Diagnostics;

namespace Bridge.Protocols.Modbus;

/// <summary>Wire timing of one serial line (Modbus over Serial Line V1.02 §2.5.1.1), shared by the
/// bridge's master and the simulated slaves so both count the same milliseconds.</summary>
public sealed class ModbusRtuTiming(int baud, bool parity, int stopBits)
{
    /// <summary>Start bit, 8 data bits, parity, stop bits.</summary>
    public int BitsPerChar { get; } = 1 + 8 + (parity ? 1 : 0) + stopBits;

    public int Baud { get; } = baud;

    public TimeSpan WireTime(int bytes) => TimeSpan.FromSeconds((double)bytes * BitsPerChar / Baud);

    /// <summary>The silence that ends a frame: 3.5 characters, or a fixed 1.75 ms above 19200 baud
    /// (the spec fixes it there because UART interrupt load would otherwise dominate).</summary>
    public TimeSpan InterFrameGap => Baud > 19200 ? TimeSpan.FromMilliseconds(1.75) : TimeSpan.FromSeconds(3.5 * BitsPerChar / Baud);

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
