using System.Text.Json;
using Bridge.Service.Secrets;

namespace Bridge.Service.Mqtt.Accounts;

/// <summary>The broker accounts the bridge makes for devices, one per device, kept hashed in the secret
/// store (<c>mqtt/account/&lt;username&gt;</c>). Adopters and provisioners call <see cref="CreateFor"/> and
/// hand the returned credentials to the device (Shelly <c>MQTT.SetConfig</c> user/pass, Tasmota
/// <c>MqttUser</c>/<c>MqttPassword</c>); the broker checks them at CONNECT and grants the rights the
/// device's protocol states.</summary>
public sealed class DeviceAccounts(ISecretStore secrets, IEnumerable<IMqttDeviceRights> protocols, ILogger<DeviceAccounts> log)
{
    public const string SecretPrefix = "mqtt/account/";

    private readonly Dictionary<string, IMqttDeviceRights> _protocols = protocols.ToDictionary(p => p.Protocol, StringComparer.Ordinal);

    /// <summary>Raised after an account was made, replaced or removed.</summary>
    public event Action? Changed;

    /// <summary>Makes (or replaces, with a new password) the account of that device. Throws
    /// <see cref="ArgumentException"/> when the protocol states no MQTT rights or the device's id or facts
    /// cannot be turned into topics safely (the message names the problem).</summary>
    public MqttCredentials CreateFor(string protocol, string deviceId, IReadOnlyDictionary<string, string>? facts = null)
    {
        facts ??= new Dictionary<string, string>();
        _ = RightsOf(protocol, deviceId, facts);
        var username = deviceId;
        if (!SecretNames.IsValid(SecretPrefix + username)) throw new ArgumentException($"'{deviceId}' cannot be an MQTT user name", nameof(deviceId));
        var password = PasswordHash.NewPassword();
        var account = new DeviceAccount(username, PasswordHash.Create(password), protocol, deviceId, new Dictionary<string, string>(facts, StringComparer.Ordinal));
        secrets.Set(SecretPrefix + username, Serialize(account));
        log.LogInformation("MQTT account {Username} made for {Protocol} device {DeviceId}", username, protocol, deviceId);
        Changed?.Invoke();
        return new MqttCredentials(username, password);
    }

    /// <summary>Forgets the device's account; its connections are refused from their next CONNECT and publish.</summary>
    public bool Remove(string deviceId)
    {
        if (!secrets.Remove(SecretPrefix + deviceId)) return false;
        log.LogInformation("MQTT account {Username} removed", deviceId);
        Changed?.Invoke();
        return true;
    }

    /// <summary>Every device account the store holds (one that cannot be read is logged and skipped).</summary>
    public IReadOnlyList<DeviceAccount> All()
    {
        var accounts = new List<DeviceAccount>();
        foreach (var name in secrets.Names(SecretPrefix))
        {
            if (!secrets.TryGet(name, out var text)) continue;
            if (Deserialize(name[SecretPrefix.Length..], text) is { } account) accounts.Add(account);
            else log.LogWarning("MQTT account {SecretName} in the secret store cannot be read; that device must be adopted again", name);
        }
        return accounts;
    }

    /// <summary>The rights the account's protocol grants it now; null (logged) when its protocol is gone.</summary>
    public MqttRights? RightsOf(DeviceAccount account)
    {
        try
        {
            return RightsOf(account.Protocol, account.DeviceId, account.Facts);
        }
        catch (ArgumentException e)
        {
            log.LogWarning("MQTT account {Username} gets no rights: {Reason}", account.Username, e.Message);
            return null;
        }
    }

    private MqttRights RightsOf(string protocol, string deviceId, IReadOnlyDictionary<string, string> facts)
    {
        if (!_protocols.TryGetValue(protocol, out var rights))
            throw new ArgumentException($"the protocol '{protocol}' states no MQTT rights (known: {string.Join(", ", _protocols.Keys.Order())})", nameof(protocol));
        foreach (var fact in rights.RequiredFacts)
            if (!facts.ContainsKey(fact)) throw new ArgumentException($"a {protocol} device's account needs its '{fact}'", nameof(facts));
        return rights.For(deviceId, facts, out var problem) ?? throw new ArgumentException(problem ?? $"'{deviceId}' cannot get {protocol} rights", nameof(deviceId));
    }

    private static string Serialize(DeviceAccount a)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("hash", a.PasswordHash);
            w.WriteString("protocol", a.Protocol);
            w.WriteString("device", a.DeviceId);
            w.WriteStartObject("facts");
            foreach (var (k, v) in a.Facts) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DeviceAccount? Deserialize(string username, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var facts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in root.GetProperty("facts").EnumerateObject()) facts[f.Name] = f.Value.GetString() ?? "";
            return new DeviceAccount(username, root.GetProperty("hash").GetString()!, root.GetProperty("protocol").GetString()!,
                root.GetProperty("device").GetString()!, facts);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
