namespace Bridge.Simulator.Tasmota;

/// <summary>A Tasmota's MQTT settings as its commands set them (PROTOCOLS.md, Tasmota's HTTP command API):
/// <c>MqttHost</c> (empty on a fresh device: it connects to no broker), <c>MqttPort</c>, <c>MqttUser</c>,
/// <c>MqttPassword</c>, <c>SetOption3</c> (MQTT on) and <c>SetOption19</c> (0: Tasmota's own discovery). The
/// broker settings take effect at the next restart.</summary>
public sealed record TasmotaMqttSettings
{
    /// <summary>Tasmota's default user name when none was set.</summary>
    public const string DefaultUser = "DVES_USER";

    public string Host { get; init; } = "";
    public int Port { get; init; } = 1883;
    public string User { get; init; } = DefaultUser;
    public string Password { get; init; } = "";
    public bool Enabled { get; init; } = true;

    /// <summary>SetOption19 1 turns Tasmota's own discovery off (Home Assistant's instead).</summary>
    public bool HomeAssistantDiscovery { get; init; }

    /// <summary>Whether the device tries a broker at all.</summary>
    public bool HasBroker => Enabled && Host.Length > 0 && Port is > 0 and <= 65535;

    public override string ToString() => $"TasmotaMqttSettings {{ Host = {Host}, Port = {Port}, User = {User}, Password = *** }}";
}
