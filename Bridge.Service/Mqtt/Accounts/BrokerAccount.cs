namespace Bridge.Service.Mqtt.Accounts;

/// <summary>One account as the broker checks it: the password's hash and the rights it grants.
/// <see cref="ByHand"/> for accounts from <c>Mqtt:Accounts</c>.</summary>
public sealed record BrokerAccount(string Username, string PasswordHash, MqttRights Rights, bool ByHand);
