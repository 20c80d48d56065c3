namespace Bridge.Service.Relay;

/// <summary>What the relay asked of this bridge: sessions it was asked to open, and how many of them
/// the bridge refused itself (a token the relay should not have let through).</summary>
public sealed class RelayCounters
{
    private long _opens, _refused;

    public long Opens => Interlocked.Read(ref _opens);
    public long Refused => Interlocked.Read(ref _refused);

    public void Opened() => Interlocked.Increment(ref _opens);
    public void RefusedOne() => Interlocked.Increment(ref _refused);
}
