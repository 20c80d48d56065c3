using System.Buffers;

namespace Bridge.Service.Mqtt;

/// <summary>A message as drivers see it.</summary>
public readonly record struct MqttMessage(string Topic, ReadOnlySequence<byte> Payload, bool Retained);

/// <summary>The bridge's one connection to the broker, as drivers use it.</summary>
public interface IMqttLink
{
    bool IsConnected { get; }

    /// <summary>Publishes at QoS 0, never retained (see <see cref="CommandMessage"/>). Throws <see cref="MqttLinkUnavailableException"/>
    /// while the broker is not running or unreachable: publishes fail now, never replay later.</summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct);

    /// <summary>Registers a handler; subscriptions are (re)made on every connect. Handlers run on
    /// the receive loop: keep them quick and never throw.</summary>
    void Subscribe(string filter, Action<MqttMessage> handler);

    /// <summary>Raised with true on every (re)connect after subscribing, false on every loss.</summary>
    event Action<bool>? ConnectionChanged;
}
