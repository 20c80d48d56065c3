using System.Text.Json;

namespace Bridge.Simulator.Shelly;

/// <summary>Reads and checks Shelly RPC <c>params</c> the way devices do: a missing required argument or a
/// value of the wrong type is error -103, a component id the device lacks is -105.</summary>
internal static class RpcParams
{
    /// <summary>The required component id; only <paramref name="expected"/> exists on these single-channel devices.</summary>
    public static RpcError? Id(JsonElement p, int expected = 0)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("id", out var v)) return RpcError.Missing("id");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var id)) return RpcError.Invalid("id");
        return id == expected ? null : RpcError.NoSuchId(id);
    }

    public static RpcError? Bool(JsonElement p, string name, bool required, out bool? value)
    {
        value = null;
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? RpcError.Missing(name) : null;
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return RpcError.Invalid(name);
        value = v.GetBoolean();
        return null;
    }

    public static RpcError? Int(JsonElement p, string name, int min, int max, bool required, out int? value)
    {
        value = null;
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? RpcError.Missing(name) : null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || d < min || d > max) return RpcError.Invalid(name);
        value = (int)Math.Round(d);
        return null;
    }

    public static RpcError? Number(JsonElement p, string name, double min, double max, out double? value)
    {
        value = null;
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || d < min || d > max) return RpcError.Invalid(name);
        value = d;
        return null;
    }
}
