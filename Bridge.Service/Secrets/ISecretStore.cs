using System.Diagnostics.CodeAnalysis;

namespace Bridge.Service.Secrets;

/// <summary>Named secrets the bridge keeps for devices and brokers (device keys, tokens, MQTT account
/// hashes), e.g. <c>device/tuya-abc/key</c>. Values never appear in logs, in <c>devices.json</c> or in
/// exceptions; a name may (it says what the secret is for, not what it is).</summary>
public interface ISecretStore
{
    /// <summary>The secret by that name, if the bridge keeps one.</summary>
    bool TryGet(string name, [NotNullWhen(true)] out string? value);

    /// <summary>Keeps (or replaces) the secret; on disk before this returns.</summary>
    void Set(string name, string value);

    /// <summary>Forgets the secret; false when there was none by that name.</summary>
    bool Remove(string name);

    /// <summary>The names that start with <paramref name="prefix"/> (e.g. <c>mqtt/account/</c>), ordinal order.</summary>
    IReadOnlyList<string> Names(string prefix);
}
