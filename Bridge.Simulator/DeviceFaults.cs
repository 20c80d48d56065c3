namespace Bridge.Simulator;

/// <summary>Faults a simulated device injects into its command handling; settable at run time from any thread.</summary>
public sealed class DeviceFaults
{
    private long _replyDelayTicks;
    private volatile bool _ignoreCommands;
    private double _dropRate;
    private readonly Random _random;

    public DeviceFaults(int seed = 1) => _random = new Random(seed);

    /// <summary>How long the device takes to act on a command and answer it (waited on the device's TimeProvider).</summary>
    public TimeSpan ReplyDelay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _replyDelayTicks));
        set => Volatile.Write(ref _replyDelayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>Commands arrive (<see cref="SimulatedDevice.CommandReceived"/> is raised) but are neither applied nor answered.</summary>
    public bool IgnoreCommands
    {
        get => _ignoreCommands;
        set => _ignoreCommands = value;
    }

    /// <summary>Share of commands (0..1) silently lost, chosen by a seeded random source so runs repeat.</summary>
    public double DropRate
    {
        get => Volatile.Read(ref _dropRate);
        set => Volatile.Write(ref _dropRate, Math.Clamp(value, 0, 1));
    }

    /// <summary>Whether this command is to be left unanswered.</summary>
    internal bool ShouldDrop()
    {
        if (_ignoreCommands) return true;
        var rate = DropRate;
        if (rate <= 0) return false;
        lock (_random) return _random.NextDouble() < rate;
    }
}
