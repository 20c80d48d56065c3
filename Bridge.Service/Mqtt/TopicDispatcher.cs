using Bridge.Protocols.Mqtt;
namespace Bridge.Service.Mqtt;

/// <summary>The handlers registered by topic filter, and delivery of a message to the matching ones.</summary>
public sealed class TopicDispatcher(ILogger log)
{
    private readonly object _lock = new();
    private (string Filter, Action<MqttMessage> Handler)[] _subs = [];

    public IReadOnlyList<(string Filter, Action<MqttMessage> Handler)> Subscriptions => _subs;

    public void Add(string filter, Action<MqttMessage> handler)
    {
        lock (_lock) _subs = [.. _subs, (filter, handler)];
    }

    public void Dispatch(in MqttMessage message)
    {
        foreach (var (filter, handler) in _subs)
        {
            if (!TopicFilter.Matches(filter, message.Topic)) continue;
            try
            {
                handler(message);
            }
            catch (Exception e)
            {
                log.LogError(e, "Handler for {Filter} failed on {Topic}", filter, message.Topic);
            }
        }
    }
}
