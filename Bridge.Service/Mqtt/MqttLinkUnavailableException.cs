namespace Bridge.Service.Mqtt;

/// <summary>The bridge's MQTT link can't carry a publish now: the embedded broker is not running,
/// or the external one is unreachable. The link's own failure, in its own words; whoever
/// publishes decides what it means to them (a driver: the command failed, device offline).</summary>
public sealed class MqttLinkUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
