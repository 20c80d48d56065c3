namespace Bridge.Service.Mqtt.Accounts;

/// <summary>A device's broker account as the bridge keeps it: the password's hash, and what its rights
/// derive from (the device's protocol, id and facts such as its MAC).</summary>
public sealed record DeviceAccount(string Username, string PasswordHash, string Protocol, string DeviceId, IReadOnlyDictionary<string, string> Facts);

/// <summary>What a device is told to connect with. <see cref="Password"/> exists only here, on its way to
/// the device: never logged, never stored.</summary>
public sealed record MqttCredentials(string Username, string Password)
{
    public override string ToString() => $"MqttCredentials {{ Username = {Username}, Password = *** }}";
}
