using System.Net.WebSockets;

namespace Bridge.Relay.Backplane;

/// <summary>The far end of one session as a bridge's link sees it: a client on this node
/// (<see cref="Clients.ClientSession"/>), or a client on another node reached through the backplane.</summary>
public interface IRelayedSession
{
    /// <summary>Takes a copy of a frame from the bridge; false when the session cannot take more now.
    /// <paramref name="receivedAt"/>: when this node read it (Stopwatch timestamp), 0 for the relay's own.</summary>
    bool Offer(ReadOnlySpan<byte> frame, long receivedAt);

    /// <summary>The bridge ended the session, or its link went away.</summary>
    void CloseFromBridge(WebSocketCloseStatus status, string reason);
}
