using System.Net;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.LowLevelClient;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Bridge.Service.Mqtt;

/// <summary>The bridge's link to an external broker (Mqtt:Url): connects, resubscribes after every
/// reconnect, keeps the connection alive, and backs off (with jitter) while the broker is away.</summary>
/// <remarks>
/// Built on MQTTnet's low-level client (its packet codec and channel) rather than its full client,
/// which hands every received publish from its receive loop to a second task through a queue: a
/// thread-pool wake-up per report (docs/benchmarks.md, "Issue #9"). Here the receive loop
/// dispatches each publish itself, and, reading through <see cref="BrokerConnectionProvider"/>'s
/// stream, runs on the link's own reader thread: a device's report, the command it confirms and
/// the reply to the client (Kestrel's output runs inline, see BridgeApp) all happen on the thread
/// the kernel woke. Handlers must therefore not block: one that waited for another report would
/// wait for ever. The bridge needs only what a clean session at QoS 0 needs: CONNECT/CONNACK,
/// SUBSCRIBE/SUBACK, PUBLISH both ways, PINGREQ/PINGRESP and DISCONNECT.
/// </remarks>
public sealed class BrokerClientLink : BackgroundService, IMqttLink
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    // Clean sessions over one TCP connection: QoS 1 would only add PUBACKs (see CommandMessage).
    private const MqttQualityOfServiceLevel SubscriptionQos = MqttQualityOfServiceLevel.AtMostOnce;

    private readonly MqttOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BrokerClientLink> _log;
    private readonly MqttClientFactory _factory = new();
    private readonly string _clientId;
    private readonly TopicDispatcher _dispatcher;
    private static readonly BrokerConnectionProvider Connections = new();
    private volatile ILowLevelMqttClient? _client;
    private volatile bool _connected;
    private int _packetId;
    private long _lastHeardTicks;

    public BrokerClientLink(IOptions<MqttOptions> options, BridgeIdentity identity, TimeProvider time, ILogger<BrokerClientLink> log)
    {
        _options = options.Value;
        _dispatcher = new TopicDispatcher(log);
        _time = time;
        _log = log;
        _clientId = "devicebridge-" + identity.Id;
    }

    public bool IsConnected => _connected;

    public event Action<bool>? ConnectionChanged;

    public void Subscribe(string filter, Action<MqttMessage> handler)
    {
        _dispatcher.Add(filter, handler);
        if (_connected && _client is { } client)
        {
            // Late subscriptions (a device with its own FullTopic) take effect at once; a failure
            // means the connection is going, and the reconnect subscribes to everything.
            _ = SendQuietlyAsync(client, SubscribePacket([filter]));
        }
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (!_connected || _client is not { } client) throw Unreachable();
        try
        {
            await client.SendAsync(CommandMessage.BuildPacket(topic, payload), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogDebug(e, "Publish to {Topic} failed", topic);
            // A write that failed (the broker stopped reading: the send timeout) may have left part
            // of a packet on the wire: this connection is done; the receive loop ends and reconnects.
            if (e is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException) client.Dispose();
            throw Unreachable(e);
        }
    }

    private static MqttLinkUnavailableException Unreachable(Exception? cause = null) => new("the MQTT broker is unreachable", cause);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var (host, port) = _options.ClientTarget(0);
            var client = _factory.CreateLowLevelMqttClient();
            try
            {
                await ConnectAsync(client, host, port, stoppingToken).ConfigureAwait(false);
                _client = client;
                _connected = true;
                _log.LogInformation("MQTT connected to {Host}:{Port}", host, port);
                failures = 0;
                ConnectionChanged?.Invoke(true);
                await ReceiveUntilLostAsync(client, stoppingToken).ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested) break;
                Lost();
                _log.LogWarning("MQTT connection to {Host}:{Port} lost; reconnecting", host, port);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Lost();
                // Log the first failure of an outage, then only now and then.
                if (failures++ == 0) _log.LogWarning("MQTT broker {Host}:{Port} unreachable ({Reason}); retrying with back-off", host, port, e.Message);
                else _log.LogDebug("MQTT reconnect attempt {Attempt} failed: {Reason}", failures, e.Message);
                var delay = Bridge.Runtime.Backoff.Delay(failures - 1, FirstRetry, _options.MaxReconnectDelay, Random.Shared);
                client.Dispose();
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                continue;
            }
            finally
            {
                if (stoppingToken.IsCancellationRequested) client.Dispose();
            }
            client.Dispose();
        }
        _connected = false;
    }

    private void Lost()
    {
        _client = null;
        if (!_connected) return;
        _connected = false;
        ConnectionChanged?.Invoke(false);
    }

    /// <summary>TCP, CONNECT and its CONNACK, then every subscription and its SUBACK, within the
    /// connect timeout. A refusal (bad credentials, not authorised) says which.</summary>
    private async Task ConnectAsync(ILowLevelMqttClient client, string host, int port, CancellationToken stoppingToken)
    {
        using var timer = new CancellationTokenSource(ConnectTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        // A read waiting for the broker ends when its token is cancelled (the stream closes); a read
        // already on the reader thread does not look at it, so the timeout closes the client too.
        using var giveUp = timeout.Token.UnsafeRegister(static c => ((ILowLevelMqttClient)c!).Dispose(), client);
        try
        {
            await client.ConnectAsync(BuildOptions(host, port), timeout.Token).ConfigureAwait(false);
            await client.SendAsync(ConnectPacket(), timeout.Token).ConfigureAwait(false);
            var ack = await client.ReceiveAsync(timeout.Token).ConfigureAwait(false) as MqttConnAckPacket
                ?? throw new IOException("the broker closed the connection or answered CONNECT with something else");
            if (ack.ReturnCode != MqttConnectReturnCode.ConnectionAccepted || ack.ReasonCode != MqttConnectReasonCode.Success)
                throw new IOException($"the broker refused the connection ({(ack.ReturnCode != MqttConnectReturnCode.ConnectionAccepted ? ack.ReturnCode : ack.ReasonCode)})");
            Heard();
            var filters = _dispatcher.Subscriptions.Select(s => s.Filter).Distinct().ToList();
            if (filters.Count == 0) return;
            var subscribe = SubscribePacket(filters);
            await client.SendAsync(subscribe, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var packet = await client.ReceiveAsync(timeout.Token).ConfigureAwait(false)
                    ?? throw new IOException("the broker closed the connection before SUBACK");
                Heard();
                if (packet is MqttSubAckPacket subAck && subAck.PacketIdentifier == subscribe.PacketIdentifier) return;
                Handle(packet);
            }
        }
        catch (Exception) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no MQTT answer within {ConnectTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Reads and handles packets until the connection ends; PINGREQs go out alongside, and a
    /// broker that answers nothing within a period of a PINGREQ is dropped.</summary>
    private async Task ReceiveUntilLostAsync(ILowLevelMqttClient client, CancellationToken stoppingToken)
    {
        using var stop = new CancellationTokenSource();
        // Reads on the reader thread do not watch a token: stopping ends them by disposal, after a
        // DISCONNECT so the broker ends the session at once.
        Task? goodbye = null;
        using var ending = stoppingToken.UnsafeRegister(_ => goodbye = SayGoodbyeAsync(client), null);
        var keepAlive = KeepAliveAsync(client, stop);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                MqttPacket? packet;
                try { packet = await client.ReceiveAsync(stoppingToken).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _log.LogDebug("MQTT receive ended: {Reason}", e.Message);
                    return;
                }
                if (packet is null) return;
                Heard();
                Handle(packet);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await keepAlive.ConfigureAwait(false);
            if (Volatile.Read(ref goodbye) is { } saying) await saying.ConfigureAwait(false);
        }
    }

    private void Handle(MqttPacket packet)
    {
        // Subscriptions are at QoS 0, so publishes need no acknowledgement.
        if (packet is MqttPublishPacket publish)
            _dispatcher.Dispatch(new MqttMessage(publish.Topic, publish.Payload, publish.Retain));
        else if (packet is MqttSubAckPacket subAck && subAck.ReasonCodes?.Any(c => c >= MqttSubscribeReasonCode.UnspecifiedError) == true)
            _log.LogWarning("The MQTT broker refused a subscription (packet {Id})", subAck.PacketIdentifier);
    }

    private async Task KeepAliveAsync(ILowLevelMqttClient client, CancellationTokenSource stop)
    {
        var period = _options.KeepAlive;
        try
        {
            long? pinged = null;
            while (true)
            {
                await Task.Delay(period, _time, stop.Token).ConfigureAwait(false);
                // Nothing heard since the last PINGREQ went out, a whole period ago: the broker is gone.
                // Measured from the ping, not the clock, so a timer that fires late on a busy machine
                // does not count as the broker's silence.
                if (pinged is { } sent && Volatile.Read(ref _lastHeardTicks) < sent)
                {
                    _log.LogDebug("MQTT broker did not answer a PINGREQ within {Seconds:0.#} s; dropping the connection", period.TotalSeconds);
                    client.Dispose();
                    return;
                }
                pinged = _time.GetTimestamp();
                await client.SendAsync(MqttPingReqPacket.Instance, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The send failed: the connection is gone, and the receive loop sees it too.
            _log.LogDebug("MQTT keep-alive ended: {Reason}", e.Message);
            client.Dispose();
        }
    }

    // Per received packet: a plain write (the keep-alive only compares it with its last ping), no locked exchange.
    private void Heard() => Volatile.Write(ref _lastHeardTicks, _time.GetTimestamp());

    /// <summary>At shutdown: a DISCONNECT, so the broker drops the session without a will or a
    /// timeout; quickly, and never failing the stop.</summary>
    private async Task SayGoodbyeAsync(ILowLevelMqttClient client)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
            await client.SendAsync(new MqttDisconnectPacket(), quick.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogDebug("MQTT disconnect at shutdown failed: {Reason}", e.Message);
        }
        client.Dispose();
    }

    private async Task SendQuietlyAsync(ILowLevelMqttClient client, MqttPacket packet)
    {
        try { await client.SendAsync(packet, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e)
        {
            _log.LogDebug("MQTT send of {Packet} failed: {Reason}", packet.GetType().Name, e.Message);
            if (e is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException) client.Dispose();
        }
    }

    private MqttSubscribePacket SubscribePacket(IEnumerable<string> filters)
    {
        var packet = new MqttSubscribePacket { PacketIdentifier = NextPacketId() };
        foreach (var filter in filters) packet.TopicFilters.Add(new MqttTopicFilter { Topic = filter, QualityOfServiceLevel = SubscriptionQos });
        return packet;
    }

    /// <summary>1–65535, wrapping: 0 is not a valid packet identifier.</summary>
    private ushort NextPacketId() => (ushort)(Interlocked.Increment(ref _packetId) % 65535 + 1);

    private MqttConnectPacket ConnectPacket()
    {
        var packet = new MqttConnectPacket
        {
            ClientId = _clientId,
            CleanSession = true,
            KeepAlivePeriod = (ushort)Math.Min(ushort.MaxValue, _options.KeepAlive.TotalSeconds),
        };
        if (!string.IsNullOrEmpty(_options.Username))
        {
            packet.Username = _options.Username;
            packet.Password = System.Text.Encoding.UTF8.GetBytes(_options.Password ?? "");
        }
        return packet;
    }

    private static MqttClientOptions BuildOptions(string host, int port)
    {
        EndPoint endPoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        return new MqttClientOptionsBuilder()
            .WithEndPoint(endPoint)
            .WithTcpServer(o =>
            {
                o.RemoteEndpoint = endPoint;
                o.StreamProvider = Connections;
            })
            // A command's header and payload in one write: one segment for the broker to read, not two.
            .WithoutPacketFragmentation()
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTimeout(ConnectTimeout)
            .Build();
    }

    public override void Dispose()
    {
        base.Dispose();
        _client?.Dispose();
    }
}
