namespace Bridge.Simulator.Modbus;

/// <summary>Faults a simulated Modbus bus injects into its replies; settable at run time from any thread.
/// The counted ones apply to the next N replies, so a test can say "garble one reply".</summary>
public sealed class ModbusSlaveFaults
{
    private long _replyDelayTicks;
    private volatile bool _silent;
    private int _badCrc, _partial, _garbage, _wrongSlave;

    /// <summary>How long a slave takes to answer (waited on the bus's TimeProvider).</summary>
    public TimeSpan ReplyDelay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _replyDelayTicks));
        set => Volatile.Write(ref _replyDelayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>Requests are read but never answered (a slave switched off, a cut A/B pair).</summary>
    public bool Silent
    {
        get => _silent;
        set => _silent = value;
    }

    /// <summary>The next N replies go out with a corrupted CRC.</summary>
    public int BadCrcReplies { get => Volatile.Read(ref _badCrc); set => Volatile.Write(ref _badCrc, value); }

    /// <summary>The next N replies stop half way (a frame cut short).</summary>
    public int PartialReplies { get => Volatile.Read(ref _partial); set => Volatile.Write(ref _partial, value); }

    /// <summary>The next N replies are preceded by line noise.</summary>
    public int GarbageBeforeReplies { get => Volatile.Read(ref _garbage); set => Volatile.Write(ref _garbage, value); }

    /// <summary>The next N replies carry another slave's address.</summary>
    public int WrongSlaveReplies { get => Volatile.Read(ref _wrongSlave); set => Volatile.Write(ref _wrongSlave, value); }

    internal static bool Take(ref int counter)
    {
        while (true)
        {
            var n = Volatile.Read(ref counter);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, n - 1, n) == n) return true;
        }
    }

    internal bool TakeBadCrc() => Take(ref _badCrc);
    internal bool TakePartial() => Take(ref _partial);
    internal bool TakeGarbage() => Take(ref _garbage);
    internal bool TakeWrongSlave() => Take(ref _wrongSlave);
}
