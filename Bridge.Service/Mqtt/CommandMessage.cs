using System.Buffers;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Bridge.Service.Mqtt;

/// <summary>How the bridge publishes to devices, on either link: never retained (a retained command
/// would replay on the device's next connect), and QoS 0: every command is confirmed end to end by
/// the device's own report (or fails with timeout), so a broker-level PUBACK adds packets, not
/// certainty. With clean sessions QoS 1 would redeliver nothing after a reconnect either.</summary>
public static class CommandMessage
{
    public static MqttApplicationMessage Build(string topic, ReadOnlyMemory<byte> payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayloadSegment(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .WithRetainFlag(false)
            .Build();

    /// <summary>The same command as a PUBLISH packet, for the external-broker link, which writes
    /// packets itself (MQTTnet's low-level client).</summary>
    public static MqttPublishPacket BuildPacket(string topic, ReadOnlyMemory<byte> payload) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce,
        Retain = false,
    };
}
