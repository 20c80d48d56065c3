namespace Bridge.Service.Secrets;

/// <summary>What a secret's name may be: 1–200 printable ASCII characters without spaces, so names
/// can be logged and compared safely (<c>device/&lt;id&gt;/key</c>, <c>mqtt/account/&lt;user&gt;</c>).</summary>
public static class SecretNames
{
    public const int MaxLength = 200;

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name.All(c => c is > ' ' and < (char)127);

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem (never a value).</summary>
    public static void Check(string? name)
    {
        if (!IsValid(name))
            throw new ArgumentException($"a secret's name must be 1..{MaxLength} printable ASCII characters without spaces", nameof(name));
    }

    /// <summary>The name of a device's own secret, e.g. <c>ForDevice("tuya-abc", "key")</c> → <c>device/tuya-abc/key</c>.</summary>
    public static string ForDevice(string deviceId, string what) => $"device/{deviceId}/{what}";
}
