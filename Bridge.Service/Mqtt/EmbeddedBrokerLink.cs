using Bridge.Protocols.Mqtt;
using Bridge.Service.Mqtt.Accounts;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Bridge.Service.Mqtt;

/// <summary>The bridge's link to its own embedded broker, in-process: it sees every publish as
/// the broker dispatches it and injects its commands directly, so a command costs no TCP round
/// trip between the bridge and its broker. Devices still talk to the broker over TCP.</summary>
public sealed class EmbeddedBrokerLink(EmbeddedBroker broker, ILogger<EmbeddedBrokerLink> log) : IHostedService, IMqttLink
{
    public const string ClientId = "devicebridge";

    private readonly TopicDispatcher _dispatcher = new(log);
    private volatile bool _connected;

    public bool IsConnected => _connected;

    public event Action<bool>? ConnectionChanged;

    public void Subscribe(string filter, Action<MqttMessage> handler)
    {
        _dispatcher.Add(filter, handler);
        if (_connected) _ = ReplayRetainedAsync(filter, handler);
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var server = broker.Server;
        if (!_connected || server is null)
            throw new MqttLinkUnavailableException("the MQTT broker is not running");
        var message = CommandMessage.Build(topic, payload);
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = ClientId, CustomSessionItems = BrokerAccessControl.BridgeSession }, ct).ConfigureAwait(false);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var server = broker.Server ?? throw new InvalidOperationException("the embedded broker has not started");
        server.InterceptingPublishAsync += OnPublish;
        _connected = true;
        // As a subscriber would, receive what is retained (discovery configs, LWTs).
        foreach (var (filter, handler) in _dispatcher.Subscriptions)
            await ReplayRetainedAsync(filter, handler).ConfigureAwait(false);
        ConnectionChanged?.Invoke(true);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _connected = false;
        if (broker.Server is { } server) server.InterceptingPublishAsync -= OnPublish;
        return Task.CompletedTask;
    }

    private Task OnPublish(InterceptingPublishEventArgs e)
    {
        // Refused publishes (BrokerAccessControl runs first) are not the devices' word; the bridge's own are not news to it.
        if (e.ProcessPublish && !ReferenceEquals(e.SessionItems, BrokerAccessControl.BridgeSession))
            _dispatcher.Dispatch(new MqttMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, e.ApplicationMessage.Retain));
        return Task.CompletedTask;
    }

    private async Task ReplayRetainedAsync(string filter, Action<MqttMessage> handler)
    {
        if (broker.Server is not { } server) return;
        foreach (var m in await server.GetRetainedMessagesAsync().ConfigureAwait(false))
        {
            if (!TopicFilter.Matches(filter, m.Topic)) continue;
            try
            {
                handler(new MqttMessage(m.Topic, m.Payload, Retained: true));
            }
            catch (Exception e)
            {
                log.LogError(e, "Handler for {Filter} failed on retained {Topic}", filter, m.Topic);
            }
        }
    }
}
