namespace Bridge.Simulator.Yeelight;

/// <summary>What a simulated bulb does wrong; settable at run time from any thread. Dropping the
/// connection and going away are actions on <see cref="SimulatedBulb"/>, not settings.</summary>
public sealed class YeelightBulbFaults
{
    private long _replyDelayTicks;
    private volatile bool _ignoreCommands;
    private volatile bool _garbage;

    /// <summary>How long the bulb takes to act on a command and answer it.</summary>
    public TimeSpan ReplyDelay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _replyDelayTicks));
        set => Volatile.Write(ref _replyDelayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>Commands are read and then neither applied nor answered.</summary>
    public bool IgnoreCommands
    {
        get => _ignoreCommands;
        set => _ignoreCommands = value;
    }

    /// <summary>Every answer is preceded by a garbage line (bad JSON, bad UTF-8, an unknown shape).</summary>
    public bool Garbage
    {
        get => _garbage;
        set => _garbage = value;
    }
}
