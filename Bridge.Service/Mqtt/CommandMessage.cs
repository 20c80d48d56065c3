using MQTTnet;
using MQTTnet.Protocol;

namespace Bridge.Service.Mqtt;

/// <summary>How the bridge publishes to devices, on either link: QoS 1 and never retained (a
/// retained command would replay on the device's next connect).</summary>
public static class CommandMessage
{
    public static MqttApplicationMessage Build(string topic, ReadOnlyMemory<byte> payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayloadSegment(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(false)
            .Build();
}
