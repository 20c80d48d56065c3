namespace Bridge.Service.Mqtt.Accounts;

/// <summary>A protocol's statement of what one of its devices may do on the broker: the topics it
/// reports on and the command topics it listens to. Each protocol implements this next to its topics
/// (e.g. Drivers/Tasmota), so rights follow the protocol's code, never a hand-kept list.</summary>
public interface IMqttDeviceRights
{
    /// <summary>The protocol's name as devices carry it (<c>tasmota</c>, <c>shelly</c>).</summary>
    string Protocol { get; }

    /// <summary>The names of the facts <see cref="For"/> needs besides the id (e.g. <c>mac</c> for Tasmota).</summary>
    IReadOnlyList<string> RequiredFacts { get; }

    /// <summary>The rights of the device with that id; null with <paramref name="problem"/> when the id or a
    /// fact cannot safely be turned into topics (a wildcard, a level that belongs to another protocol).</summary>
    MqttRights? For(string deviceId, IReadOnlyDictionary<string, string> facts, out string? problem);
}
