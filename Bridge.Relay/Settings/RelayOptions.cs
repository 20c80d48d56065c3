using System.Net;

namespace Bridge.Relay.Settings;

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
    /// <summary>A Redis connection string (StackExchange.Redis syntax, e.g. <c>127.0.0.1:6379</c>): several
    /// nodes sharing it serve as one relay. Empty: one node, everything in memory.</summary>
    public string? Redis { get; set; }
    /// <summary>How long Redis remembers which node holds a bridge without that node refreshing it
    /// (every third of it): roughly how long clients of a dead node's bridges may be told to wait.</summary>
    public TimeSpan OwnershipTtl { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Frames queued for other nodes; a bridge's frame for a remote client that finds it full
    /// closes that client (as a slow client would be), a client's frame waits.</summary>
    public int BackplaneQueue { get; set; } = 8192;

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

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
        if (UsesRedis && RedisProblem(Redis!) is { } redis) yield return "Relay:Redis " + redis;
        if (OwnershipTtl < TimeSpan.FromSeconds(1) || OwnershipTtl > TimeSpan.FromMinutes(10)) yield return "Relay:OwnershipTtl must be between 1 second and 10 minutes";
        if (BackplaneQueue < 16) yield return "Relay:BackplaneQueue must be at least 16";
    }

    private static string? RedisProblem(string connectionString)
    {
        try
        {
            var parsed = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
            // Not echoed: the string may hold a password.
            return parsed.EndPoints.Count == 0 ? "names no server; expected host:port[,option=value...]" : null;
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never a password.
            return "is not a Redis connection string: " + e.Message;
        }
    }
}
