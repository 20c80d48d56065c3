using System.Text.Json;

namespace Bridge.Protocols.EspProv;

/// <summary>What a device says at <c>proto-ver</c> (plaintext JSON,
/// <c>{"prov":{"ver":"v1.1","sec_ver":2,"sec_patch_ver":1,"cap":["wifi_scan"]}, …}</c>): which
/// security to use, and what it can do.</summary>
public sealed record ProtoVersion(string Version, int SecurityVersion, int PatchVersion, IReadOnlyList<string> Capabilities)
{
    public bool Can(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);

    /// <summary>False for anything that is not an ESP-IDF provisioning answer (no <c>prov</c> object).</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ProtoVersion? version)
    {
        version = null;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("prov", out var prov) || prov.ValueKind != JsonValueKind.Object) return false;
            var ver = prov.TryGetProperty("ver", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            // Devices older than security 1's sec_ver field speak security 1 (they list "no_sec" when they do not).
            var sec = prov.TryGetProperty("sec_ver", out var s) && s.TryGetInt32(out var sv) ? sv : -1;
            var patch = prov.TryGetProperty("sec_patch_ver", out var p) && p.TryGetInt32(out var pv) ? pv : 0;
            var caps = prov.TryGetProperty("cap", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : [];
            if (sec < 0) sec = caps.Contains("no_sec") ? 0 : 1;
            version = new ProtoVersion(ver, sec, patch, caps);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        prov = new Dictionary<string, object> { ["ver"] = Version, ["sec_ver"] = SecurityVersion, ["sec_patch_ver"] = PatchVersion, ["cap"] = Capabilities },
    });
}
