using System.Text;

namespace Bridge.Relay.Backplane;

/// <summary>The backplane's part of <c>/metrics</c>: node-to-node frames and the Redis connection.</summary>
public sealed class BackplaneMetrics
{
    private long _published, _received, _lost, _sessionsClosed, _refused, _redisConnected, _redisConfigured;

    public void Published() => Interlocked.Increment(ref _published);
    public void Received() => Interlocked.Increment(ref _received);
    /// <summary>A frame that could not be handed to Redis, or that no node was listening for.</summary>
    public void Lost() => Interlocked.Increment(ref _lost);
    /// <summary>A cross-node session closed by the backplane (node gone, bridge moved, Redis lost).</summary>
    public void SessionClosed() => Interlocked.Increment(ref _sessionsClosed);

    /// <summary>A client refused with 503 relay_unavailable: its bridge may be on another node and Redis is away.</summary>
    public void Refused() => Interlocked.Increment(ref _refused);

    public void RedisConfigured() => Interlocked.Exchange(ref _redisConfigured, 1);
    public void RedisConnection(bool up) => Interlocked.Exchange(ref _redisConnected, up ? 1 : 0);

    public long PublishedFrames => Interlocked.Read(ref _published);
    public long ReceivedFrames => Interlocked.Read(ref _received);

    public void Render(StringBuilder s)
    {
        Line(s, "relay_backplane_frames_published_total", "counter", "Frames sent to other relay nodes.", Interlocked.Read(ref _published));
        Line(s, "relay_backplane_frames_received_total", "counter", "Frames received from other relay nodes.", Interlocked.Read(ref _received));
        Line(s, "relay_backplane_frames_lost_total", "counter", "Frames Redis did not take or no node listened for (their sessions are closed).", Interlocked.Read(ref _lost));
        Line(s, "relay_backplane_sessions_closed_total", "counter", "Cross-node sessions closed because a node, the bridge's node or Redis went away.", Interlocked.Read(ref _sessionsClosed));
        Line(s, "relay_backplane_refusals_total", "counter", "Clients refused (503 relay_unavailable) because Redis could not be asked.", Interlocked.Read(ref _refused));
        Line(s, "relay_backplane_redis_configured", "gauge", "1 when Relay:Redis is set (several nodes), 0 for one node in memory.", Interlocked.Read(ref _redisConfigured));
        Line(s, "relay_backplane_redis_connected", "gauge", "1 while this node is connected to Redis.", Interlocked.Read(ref _redisConnected));
    }

    private static void Line(StringBuilder s, string name, string type, string help, long value) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
         .Append(name).Append(' ').Append(value).Append('\n');
}
