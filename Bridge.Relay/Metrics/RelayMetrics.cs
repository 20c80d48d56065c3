using System.Text;
using Bridge.Runtime.Metrics;

namespace Bridge.Relay.Metrics;

/// <summary>Counters for <c>/metrics</c> (Prometheus text format). Plain interlocked fields: the
/// relay's hot path pays one atomic add per frame.</summary>
public sealed class RelayMetrics
{
    private long _bridges, _clients, _toBridge, _toClient, _slowClients, _oversized, _badLinkFrames, _rateLimited;
    private readonly long[] _refusals = new long[Enum.GetValues<Refusal>().Length];

    public enum Refusal { Unauthorized, Forbidden, UnknownBridge, BridgeOffline, TooManyConnections, Handshake, NotWebSocket, TooManyHandshakes }

    /// <summary>A client's frame: read whole from the client until handed to its bridge's link socket.</summary>
    public PrometheusHistogram ToBridgeResidence { get; } = new();
    /// <summary>A bridge's frame: read whole from the link until handed to the client's socket.</summary>
    public PrometheusHistogram ToClientResidence { get; } = new();
    /// <summary>Bridge handshakes: upgrade accepted until the bridge's identity is proven or refused.</summary>
    public PrometheusHistogram HandshakeDuration { get; } = new();

    public long Bridges => Interlocked.Read(ref _bridges);
    public long Clients => Interlocked.Read(ref _clients);

    public void BridgeConnected() => Interlocked.Increment(ref _bridges);
    public void BridgeDisconnected() => Interlocked.Decrement(ref _bridges);
    public void ClientConnected() => Interlocked.Increment(ref _clients);
    public void ClientDisconnected() => Interlocked.Decrement(ref _clients);
    public void FrameToBridge() => Interlocked.Increment(ref _toBridge);
    public void FrameToClient() => Interlocked.Increment(ref _toClient);
    public void SlowClientDropped() => Interlocked.Increment(ref _slowClients);
    public void OversizedFrame() => Interlocked.Increment(ref _oversized);
    public void BadLinkFrame() => Interlocked.Increment(ref _badLinkFrames);
    public void RateLimited() => Interlocked.Increment(ref _rateLimited);
    public void Refused(Refusal why) => Interlocked.Increment(ref _refusals[(int)why]);
    public long Refusals(Refusal why) => Interlocked.Read(ref _refusals[(int)why]);

    public string Render()
    {
        var s = new StringBuilder();
        Gauge(s, "relay_bridges_connected", "Bridges with a live link to this node.", Bridges);
        Gauge(s, "relay_clients_connected", "Client sessions open on this node.", Clients);
        s.Append("# HELP relay_frames_total Frames relayed.\n# TYPE relay_frames_total counter\n");
        s.Append("relay_frames_total{direction=\"to_bridge\"} ").Append(Interlocked.Read(ref _toBridge)).Append('\n');
        s.Append("relay_frames_total{direction=\"to_client\"} ").Append(Interlocked.Read(ref _toClient)).Append('\n');
        s.Append("# HELP relay_refusals_total Connections refused, by reason.\n# TYPE relay_refusals_total counter\n");
        foreach (var why in Enum.GetValues<Refusal>())
            s.Append("relay_refusals_total{reason=\"").Append(Name(why)).Append("\"} ").Append(Refusals(why)).Append('\n');
        Counter(s, "relay_slow_clients_closed_total", "Clients closed because their send queue was full.", Interlocked.Read(ref _slowClients));
        Counter(s, "relay_oversized_frames_total", "Client frames over Relay:MaxFrameBytes.", Interlocked.Read(ref _oversized));
        Counter(s, "relay_rate_limited_frames_total", "Client frames answered busy for the token's rate.", Interlocked.Read(ref _rateLimited));
        Counter(s, "relay_bad_link_frames_total", "Unreadable envelopes from bridges.", Interlocked.Read(ref _badLinkFrames));
        PrometheusHistogram.Header(s, "relay_frame_residence_seconds", "Time a frame spends in the relay: read whole on one side until handed to the other side's socket.");
        ToBridgeResidence.Render(s, "relay_frame_residence_seconds", "direction=\"to_bridge\"");
        ToClientResidence.Render(s, "relay_frame_residence_seconds", "direction=\"to_client\"");
        PrometheusHistogram.Header(s, "relay_bridge_handshake_seconds", "Bridge identity handshakes, from upgrade to verdict.");
        HandshakeDuration.Render(s, "relay_bridge_handshake_seconds", "");
        return s.ToString();
    }

    private static string Name(Refusal why) => why switch
    {
        Refusal.Unauthorized => "unauthorized",
        Refusal.Forbidden => "forbidden",
        Refusal.UnknownBridge => "unknown_bridge",
        Refusal.BridgeOffline => "bridge_offline",
        Refusal.TooManyConnections => "too_many_connections",
        Refusal.Handshake => "handshake",
        Refusal.TooManyHandshakes => "too_many_handshakes",
        _ => "not_websocket",
    };

    private static void Gauge(StringBuilder s, string name, string help, long value) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n")
         .Append(name).Append(' ').Append(value).Append('\n');

    private static void Counter(StringBuilder s, string name, string help, long value) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n")
         .Append(name).Append(' ').Append(value).Append('\n');
}
