namespace Bridge.Service.Drivers.Modbus;

/// <summary>Counts what the master discarded (garbage bytes, bad CRCs, replies from the wrong slave)
/// and logs one warning per burst: when the line next carries a clean reply, or when the burst
/// is a minute old, so a noisy line can't flood the log.</summary>
public sealed class LineNoiseLog(string port, TimeProvider time, ILogger log)
{
    private static readonly TimeSpan LongBurst = TimeSpan.FromMinutes(1);
    private long _burstStart;
    private int _bytes, _badCrc, _wrongSlave, _unexpected;

    public int TotalDiscardedFrames { get; private set; }

    public void Garbage(int bytes, string? problem)
    {
        Begin();
        _bytes += bytes;
        if (problem == "bad CRC") _badCrc++;
    }

    public void WrongSlave()
    {
        Begin();
        _wrongSlave++;
    }

    public void Unexpected()
    {
        Begin();
        _unexpected++;
    }

    /// <summary>A clean reply ended the burst, if any.</summary>
    public void Clean() => Flush();

    private void Begin()
    {
        TotalDiscardedFrames++;
        if (_burstStart == 0) _burstStart = time.GetTimestamp();
        else if (time.GetElapsedTime(_burstStart) > LongBurst) Flush();
    }

    private void Flush()
    {
        if (_burstStart == 0) return;
        log.LogWarning("Serial line {Port}: discarded {Bytes} garbage bytes ({BadCrc} with a bad CRC), {WrongSlave} replies from the wrong slave, {Unexpected} unexpected replies; resynchronised",
            port, _bytes, _badCrc, _wrongSlave, _unexpected);
        _burstStart = 0;
        _bytes = _badCrc = _wrongSlave = _unexpected = 0;
    }
}
