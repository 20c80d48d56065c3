using System.Net;

namespace Bridge.Relay.Hosting;

/// <summary><c>Relay:*</c>. The relay listens on loopback by default: on the internet it sits behind
/// a reverse proxy that terminates TLS (WeChat only connects to <c>wss://</c> hosts).</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    public string Bind { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 8972;
    /// <summary>Largest client frame; bigger ones get bad_request from the relay, like from the bridge.</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;
    /// <summary>Largest envelope from a bridge (a device list of a big home can be large).</summary>
    public int MaxLinkFrameBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>Frames queued for one client; a client that lets more pile up is closed (1008) so it
    /// never holds up its bridge's link, and so every other client of that bridge.</summary>
    public int ClientSendQueue { get; set; } = 1024;
    /// <summary>Envelopes queued for one bridge; clients of that bridge wait when it is full.</summary>
    public int LinkSendQueue { get; set; } = 8192;
    /// <summary>Open connections (clients and bridges) from one IP address; more get 429.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 256;
    /// <summary>Connection attempts (bridges and clients) per second from one IP address; more get 429.
    /// Generous, since many phones can share one carrier NAT address.</summary>
    public double HandshakesPerSecondPerAddress { get; set; } = 50;
    /// <summary>Connection attempts one address may make at once before the rate applies.</summary>
    public double HandshakeBurstPerAddress { get; set; } = 200;
    /// <summary>How long a request's headers may take to arrive whole (slowloris upgrades); then 408 and close.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a bridge has to answer the identity challenge.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>WebSocket ping interval; a peer that does not answer within the same time again is dropped (half-open connections).</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>Frames per second one token may send through the relay (all its connections together);
    /// beyond it the relay answers <c>busy</c> itself.</summary>
    public double TokenFramesPerSecond { get; set; } = 200;
    /// <summary>Frames a token may send at once before the rate applies.</summary>
    public double TokenBurst { get; set; } = 400;
    /// <summary>A Redis connection string for several nodes; not supported by this version.</summary>
    public string? Redis { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(Bind, out _)) yield return $"Relay:Bind must be an IP address, not '{Bind}'";
        if (Port is < 0 or > 65535) yield return $"Relay:Port must be 0..65535, not {Port}";
        if (MaxFrameBytes is < 1024 or > 16 * 1024 * 1024) yield return "Relay:MaxFrameBytes must be 1 KiB..16 MiB";
        if (MaxLinkFrameBytes < MaxFrameBytes + 64 || MaxLinkFrameBytes > 64 * 1024 * 1024) yield return "Relay:MaxLinkFrameBytes must exceed Relay:MaxFrameBytes and be at most 64 MiB";
        if (ClientSendQueue < 16) yield return "Relay:ClientSendQueue must be at least 16";
        if (LinkSendQueue < 16) yield return "Relay:LinkSendQueue must be at least 16";
        if (MaxConnectionsPerAddress < 1) yield return "Relay:MaxConnectionsPerAddress must be at least 1";
        if (HandshakesPerSecondPerAddress is < 0.1 or > 1_000_000) yield return "Relay:HandshakesPerSecondPerAddress must be 0.1..1000000";
        if (HandshakeBurstPerAddress is < 1 or > 1_000_000) yield return "Relay:HandshakeBurstPerAddress must be 1..1000000";
        if (RequestHeadersTimeout < TimeSpan.FromSeconds(1) || RequestHeadersTimeout > TimeSpan.FromMinutes(2)) yield return "Relay:RequestHeadersTimeout must be between 1 second and 2 minutes";
        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(1)) yield return "Relay:HandshakeTimeout must be between 0 and 1 minute";
        if (KeepAlive < TimeSpan.FromSeconds(1) || KeepAlive > TimeSpan.FromMinutes(10)) yield return "Relay:KeepAlive must be between 1 second and 10 minutes";
        if (TokenFramesPerSecond is < 0.1 or > 1_000_000) yield return "Relay:TokenFramesPerSecond must be 0.1..1000000";
        if (TokenBurst < 1 || TokenBurst > 1_000_000) yield return "Relay:TokenBurst must be 1..1000000";
        if (!string.IsNullOrWhiteSpace(Redis)) yield return "Relay:Redis: the Redis backplane is not available in this version; run one node without it";
    }
}
