namespace Bridge.Service.Mqtt.Accounts;

/// <summary>What the embedded broker's accounts read of <c>Mqtt:*</c>: whether the broker is embedded at
/// all, whether clients without a user name are let in, and the accounts made by hand. Bound from the
/// same section as the MQTT options, which validate it, so the accounts need nothing of the MQTT
/// transport (the broker depends on its accounts, not the other way round).</summary>
public sealed class BrokerAccountOptions
{
    /// <summary>The configuration section, the MQTT options' own.</summary>
    public const string Section = "Mqtt";

    /// <summary>An external broker's address; absent: the embedded broker, the one these accounts are for.</summary>
    public string? Url { get; set; }

    public bool AllowAnonymous { get; set; }

    public List<MqttAccountOptions> Accounts { get; set; } = [];

    public bool Embedded => string.IsNullOrWhiteSpace(Url);
}
