using System.Buffers;
using System.Net;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Bridge.Simulator.Mqtt;

/// <summary>One device's MQTT connection: a single MQTTnet client with the device's last will, TCP
/// NoDelay, and a socket the device can kill. One link is one connection; reconnecting makes a new link.</summary>
internal sealed class DeviceLink : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly KillableTcpStreamProvider _streams = new();
    private readonly MqttClientOptions _options;
    private int _closing;

    public DeviceLink(
        string host, int port, string clientId, (string? Username, string? Password) account, string willTopic, byte[] willPayload,
        Func<DeviceLink, MqttApplicationMessage, Task> onMessage, Action<DeviceLink> onLost)
    {
        EndPoint endPoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V311) // what Tasmota and Shelly firmware speak
            .WithEndPoint(endPoint)
            .WithTcpServer(o =>
            {
                o.RemoteEndpoint = endPoint;
                o.NoDelay = true;
                o.StreamProvider = _streams;
            })
            // One write a message, as device firmware sends it (MQTTnet would write header and payload apart).
            .WithoutPacketFragmentation()
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithCleanSession(true);
        if (account.Username is not null) builder.WithCredentials(account.Username, account.Password);
        _options = builder.Build();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e => onMessage(this, e.ApplicationMessage);
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && Volatile.Read(ref _closing) == 0) onLost(this);
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => Volatile.Read(ref _closing) == 0 && _client.IsConnected;

    public async Task ConnectAsync(string subscribeFilter, MqttQualityOfServiceLevel subscribeQos, CancellationToken ct)
    {
        // MQTTnet applies its Timeout only to a token that cannot be cancelled: with the device's
        // stopping token a peer that never answered would be waited on for ever, and the device
        // would never try again.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            await _client.ConnectAsync(_options, timeout.Token).ConfigureAwait(false);
            var sub = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(subscribeFilter, subscribeQos).Build();
            await _client.SubscribeAsync(sub, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // MQTTnet reports the cancelled read as a closed connection; say what happened.
            throw new TimeoutException($"no MQTT answer within {_options.Timeout.TotalSeconds:0} s", e);
        }
    }

    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce, bool retain = false, CancellationToken ct = default)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = qos,
            Retain = retain,
        };
        return _client.PublishAsync(message, ct);
    }

    /// <summary>Abrupt loss: the socket is reset without an MQTT DISCONNECT, so the broker publishes the will.</summary>
    public void Kill()
    {
        Interlocked.Exchange(ref _closing, 1);
        _streams.Kill();
    }

    /// <summary>Clean MQTT DISCONNECT (the broker discards the will).</summary>
    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cts.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: the connection may already be gone; the will then stands, which is also true to life.
        }
    }

    /// <summary>True for the exceptions a publish throws because the connection is gone or going
    /// (a device's message is then lost, as on real hardware).</summary>
    public static bool IsConnectionLoss(Exception e) =>
        e is MqttCommunicationException or ObjectDisposedException or OperationCanceledException or IOException or System.Net.Sockets.SocketException;

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _closing, 1);
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
