using Bridge.Protocols.Mqtt;
using System.Buffers;

namespace Bridge.Service.Mqtt.Accounts;

/// <summary>What one broker account may do: the topics it may publish, the filters it may subscribe to,
/// and topics it shares with others where the payload must show it speaks for itself (a Shelly answers
/// on the bridge's one reply topic, so its reply must carry its own <c>src</c>).</summary>
public sealed class MqttRights
{
    public static readonly MqttRights Everything = new(["#"], ["#"]);

    public MqttRights(IReadOnlyList<string> publish, IReadOnlyList<string> subscribe, IReadOnlyList<GuardedTopic>? guarded = null)
    {
        Publish = publish.ToArray();
        Subscribe = subscribe.ToArray();
        Guarded = guarded?.ToArray() ?? [];
    }

    public IReadOnlyList<string> Publish { get; }
    public IReadOnlyList<string> Subscribe { get; }
    public IReadOnlyList<GuardedTopic> Guarded { get; }

    public bool MayPublish(string topic, in ReadOnlySequence<byte> payload)
    {
        foreach (var filter in Publish)
            if (TopicFilter.Matches(filter, topic)) return true;
        foreach (var g in Guarded)
            if (TopicFilter.Matches(g.Filter, topic)) return g.PayloadIsOwn(payload);
        return false;
    }

    public bool MaySubscribe(string filter)
    {
        foreach (var allowed in Subscribe)
            if (TopicFilter.Covers(allowed, filter)) return true;
        return false;
    }

    /// <summary>These rights and <paramref name="more"/> together.</summary>
    public MqttRights With(MqttRights more) =>
        new([.. Publish, .. more.Publish], [.. Subscribe, .. more.Subscribe], [.. Guarded, .. more.Guarded]);
}

/// <summary>A topic an account may publish on only with a payload that passes <see cref="PayloadIsOwn"/>.</summary>
public sealed record GuardedTopic(string Filter, Func<ReadOnlySequence<byte>, bool> PayloadIsOwn);
