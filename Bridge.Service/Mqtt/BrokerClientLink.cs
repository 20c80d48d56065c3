using Bridge.Service.Drivers;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Bridge.Service.Mqtt;

/// <summary>The bridge's link to an external broker (Mqtt:Url): connects, resubscribes after every
/// reconnect, and backs off (with jitter) while the broker is away.</summary>
public sealed class BrokerClientLink : BackgroundService, IMqttLink
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    // Clean sessions over one TCP connection: QoS 1 would only add PUBACKs (see CommandMessage).
    private const MqttQualityOfServiceLevel SubscriptionQos = MqttQualityOfServiceLevel.AtMostOnce;

    private readonly MqttOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BrokerClientLink> _log;
    private readonly IMqttClient _client;
    private readonly string _clientId;
    private readonly TopicDispatcher _dispatcher;
    private static readonly BrokerConnectionProvider Connections = new();
    private volatile TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _connected;

    public BrokerClientLink(IOptions<MqttOptions> options, BridgeIdentity identity, TimeProvider time, ILogger<BrokerClientLink> log)
    {
        _options = options.Value;
        _dispatcher = new TopicDispatcher(log);
        _time = time;
        _log = log;
        _clientId = "devicebridge-" + identity.Id;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _dispatcher.Dispatch(new MqttMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += _ =>
        {
            _lost.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _connected;

    public event Action<bool>? ConnectionChanged;

    public void Subscribe(string filter, Action<MqttMessage> handler)
    {
        _dispatcher.Add(filter, handler);
        if (_connected)
        {
            // Late subscriptions (a device with its own FullTopic) take effect at once.
            _ = _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(filter, SubscriptionQos).Build(), CancellationToken.None);
        }
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (!_connected) throw Unreachable();
        var message = CommandMessage.Build(topic, payload);
        try
        {
            await _client.PublishAsync(message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogDebug(e, "Publish to {Topic} failed", topic);
            throw Unreachable();
        }
    }

    private static CommandFailedException Unreachable() =>
        new(new CommandFailure(Protocols.Api.ErrorCodes.DeviceOffline, "the MQTT broker is unreachable"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var (host, port) = _options.ClientTarget(0);
            try
            {
                _lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await ConnectAndSubscribeAsync(host, port, stoppingToken).ConfigureAwait(false);
                _connected = true;
                _log.LogInformation("MQTT connected to {Host}:{Port}", host, port);
                failures = 0;
                ConnectionChanged?.Invoke(true);
                await _lost.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                _connected = false;
                _log.LogWarning("MQTT connection to {Host}:{Port} lost; reconnecting", host, port);
                ConnectionChanged?.Invoke(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (_connected)
                {
                    _connected = false;
                    ConnectionChanged?.Invoke(false);
                }
                // Log the first failure of an outage, then only now and then.
                if (failures++ == 0) _log.LogWarning("MQTT broker {Host}:{Port} unreachable ({Reason}); retrying with back-off", host, port, e.Message);
                else _log.LogDebug("MQTT reconnect attempt {Attempt} failed: {Reason}", failures, e.Message);
                var delay = Bridge.Runtime.Backoff.Delay(failures - 1, FirstRetry, _options.MaxReconnectDelay, Random.Shared);
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        _connected = false;
        if (_client.IsConnected)
        {
            try { await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false); }
            catch (Exception e) { _log.LogDebug(e, "MQTT disconnect at shutdown failed"); }
        }
    }

    /// <summary>Connects and subscribes within <see cref="ConnectTimeout"/>. MQTTnet applies its own
    /// timeout only when handed a token that cannot be cancelled; with the stopping token a peer
    /// that accepted TCP and never answered CONNECT (or SUBSCRIBE) was waited on for ever.</summary>
    private async Task ConnectAndSubscribeAsync(string host, int port, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(ConnectTimeout, _time);
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _client.ConnectAsync(BuildOptions(host, port), connecting.Token).ConfigureAwait(false);
            var subs = _dispatcher.Subscriptions;
            if (subs.Count == 0) return;
            var builder = new MqttClientSubscribeOptionsBuilder();
            foreach (var filter in subs.Select(s => s.Filter).Distinct())
                builder.WithTopicFilter(filter, SubscriptionQos);
            await _client.SubscribeAsync(builder.Build(), connecting.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // The next attempt starts from a clean client: MQTTnet refuses to connect while connected
            // (as it is when only the SUBSCRIBE went unanswered).
            await DisconnectQuietlyAsync().ConfigureAwait(false);
            if (timeout.IsCancellationRequested) throw new TimeoutException($"no MQTT answer within {ConnectTimeout.TotalSeconds:0} s", e);
            throw;
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        if (!_client.IsConnected) return;
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), quick.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogDebug("MQTT disconnect after a failed connect failed: {Reason}", e.Message);
        }
    }

    private MqttClientOptions BuildOptions(string host, int port)
    {
        System.Net.EndPoint endPoint = System.Net.IPAddress.TryParse(host, out var ip)
            ? new System.Net.IPEndPoint(ip, port)
            : new System.Net.DnsEndPoint(host, port);
        var builder = new MqttClientOptionsBuilder()
            .WithEndPoint(endPoint)
            .WithTcpServer(o =>
            {
                o.RemoteEndpoint = endPoint;
                o.StreamProvider = Connections;
            })
            // A command's header and payload in one write: one segment for the broker to read, not two.
            .WithoutPacketFragmentation()
            .WithClientId(_clientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(ConnectTimeout);
        if (!string.IsNullOrEmpty(_options.Username)) builder.WithCredentials(_options.Username, _options.Password ?? "");
        return builder.Build();
    }

    public override void Dispose()
    {
        base.Dispose();
        _client.Dispose();
    }
}
