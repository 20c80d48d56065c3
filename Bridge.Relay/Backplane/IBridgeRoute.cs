namespace Bridge.Relay.Backplane;

/// <summary>How a client session reaches its bridge: the bridge's link on this node
/// (<see cref="Links.BridgeLink"/>), or the backplane to the node that holds the link.</summary>
public interface IBridgeRoute
{
    /// <summary>Registers a session for the bridge's answers; returns its session id.</summary>
    uint Attach(IRelayedSession session);

    void Detach(uint session);

    /// <summary>Queues an envelope for the bridge; waits while the route's queue is full.</summary>
    ValueTask SendAsync(byte[] envelope, CancellationToken ct);

    /// <summary>As above for a client's frame already in its envelope; the route releases it.</summary>
    ValueTask SendAsync(RelayedFrame envelope, CancellationToken ct);

    /// <summary>Queues an envelope without waiting; false when the queue is full or closed.</summary>
    bool TrySend(byte[] envelope);
}
