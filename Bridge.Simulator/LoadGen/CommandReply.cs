namespace Bridge.Simulator.LoadGen;

/// <summary>The outcome of one command: success, or the error code, and when the reply arrived.</summary>
public readonly record struct CommandReply(bool Ok, string? ErrorCode, long SentTimestamp, long ReceivedTimestamp)
{
    public static CommandReply Failed(string code, long sentTimestamp) =>
        new(false, code, sentTimestamp, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Send-to-reply latency in microseconds.</summary>
    public long LatencyMicroseconds => Ticks.ToMicroseconds(ReceivedTimestamp - SentTimestamp);
}

/// <summary>Stopwatch tick conversions.</summary>
public static class Ticks
{
    private static readonly double MicrosecondsPerTick = 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;

    public static long ToMicroseconds(long stopwatchTicks) =>
        stopwatchTicks <= 0 ? 0 : (long)(stopwatchTicks * MicrosecondsPerTick);

    public static long FromTimeSpan(TimeSpan span) =>
        (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
}
