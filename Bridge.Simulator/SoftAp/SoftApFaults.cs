namespace Bridge.Simulator.SoftAp;

/// <summary>What goes wrong with a simulated device in access-point mode, set by tests (from any
/// thread). Wrong password and network not found come from the <see cref="Improv.SimulatedAir"/>.</summary>
public sealed class SoftApFaults
{
    private volatile bool _silent;
    private volatile bool _rebootOnApply;
    private volatile bool _hugeAnswer;
    private volatile bool _malformedProtobuf;
    private long _answerDelayTicks;
    private long _joinDelayTicks = TimeSpan.FromMilliseconds(100).Ticks;
    private long _rebootTimeTicks = TimeSpan.FromMilliseconds(500).Ticks;

    /// <summary>Takes connections and requests but never answers (a hung device, a captive portal gone quiet).</summary>
    public bool Silent { get => _silent; set => _silent = value; }

    /// <summary>Restarts as it applies the settings, forgets them and comes back in setup mode.</summary>
    public bool RebootOnApply { get => _rebootOnApply; set => _rebootOnApply = value; }

    /// <summary>Answers every request with 4 MB of junk.</summary>
    public bool HugeAnswer { get => _hugeAnswer; set => _hugeAnswer = value; }

    /// <summary>ESP-IDF: answers the session request with bytes that are no protobuf.</summary>
    public bool MalformedProtobuf { get => _malformedProtobuf; set => _malformedProtobuf = value; }

    /// <summary>How long each answer takes (waited on the device's clock).</summary>
    public TimeSpan AnswerDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _answerDelayTicks));
        set => Interlocked.Exchange(ref _answerDelayTicks, value.Ticks);
    }

    /// <summary>How long joining the network takes once the settings are applied.</summary>
    public TimeSpan JoinDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _joinDelayTicks));
        set => Interlocked.Exchange(ref _joinDelayTicks, value.Ticks);
    }

    /// <summary>How long a restart keeps the device away.</summary>
    public TimeSpan RebootTime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _rebootTimeTicks));
        set => Interlocked.Exchange(ref _rebootTimeTicks, value.Ticks);
    }
}

/// <summary>How a join attempt ended.</summary>
public enum JoinOutcome
{
    Joined,
    WrongPassword,
    NetworkNotFound,
}

/// <summary>What a simulated device knows when it has joined: the network and the device's name.</summary>
public sealed record JoinedNetwork(string Ssid, string DeviceName);
