using System.Text.Json;

namespace Bridge.Protocols.Model;

/// <summary>Reads a device profile file; every problem is reported, none is thrown.</summary>
public static class DeviceProfileReader
{
    public static DeviceProfile? Read(string id, ReadOnlySpan<byte> json, List<string> problems)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            problems.Add($"profile '{id}': not valid JSON ({e.Message})");
            return null;
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"profile '{id}': must be a JSON object");
            return null;
        }
        var before = problems.Count;
        var kind = ReadString(root, "kind");
        var driver = ReadString(root, "driver");
        if (kind is null || !DeviceKinds.All.Contains(kind))
            problems.Add($"profile '{id}': 'kind' must be one of {string.Join(", ", DeviceKinds.All)}");
        if (string.IsNullOrEmpty(driver))
            problems.Add($"profile '{id}': 'driver' is missing");

        var caps = new List<Capability>();
        if (!root.TryGetProperty("capabilities", out var capsJson) || capsJson.ValueKind != JsonValueKind.Object)
            problems.Add($"profile '{id}': 'capabilities' must be an object");
        else
            foreach (var p in capsJson.EnumerateObject())
                if (ReadCapability(id, p, problems) is { } cap) caps.Add(cap);

        var match = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("match", out var matchJson) && matchJson.ValueKind == JsonValueKind.Object)
            foreach (var p in matchJson.EnumerateObject()) match[p.Name] = p.Value.Clone();

        var mapping = driver is not null && root.TryGetProperty(driver, out var m) ? m.Clone() : default;
        var priority = root.TryGetProperty("priority", out var pr) && pr.TryGetInt32(out var pv) ? pv : 0;
        if (problems.Count > before) return null;
        return new DeviceProfile
        {
            Id = id, Kind = kind!, Driver = driver!, Capabilities = caps, Match = match, Mapping = mapping, Priority = priority,
        };
    }

    private static Capability? ReadCapability(string id, JsonProperty p, List<string> problems)
    {
        var v = p.Value;
        var where = $"profile '{id}', capability '{p.Name}'";
        if (v.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: must be an object");
            return null;
        }
        CapabilityType type;
        switch (ReadString(v, "type"))
        {
            case "enum": type = CapabilityType.Enum; break;
            case "int": type = CapabilityType.Int; break;
            case "number": type = CapabilityType.Number; break;
            default: problems.Add($"{where}: 'type' must be enum, int or number"); return null;
        }
        var values = new List<string>();
        if (v.TryGetProperty("values", out var vals) && vals.ValueKind == JsonValueKind.Array)
            foreach (var e in vals.EnumerateArray())
                if (e.ValueKind == JsonValueKind.String) values.Add(e.GetString()!);
        if (type == CapabilityType.Enum && values.Count == 0)
        {
            problems.Add($"{where}: an enum needs 'values'");
            return null;
        }
        double? min = ReadNumber(v, "min"), max = ReadNumber(v, "max"), step = ReadNumber(v, "step");
        if (min > max)
        {
            problems.Add($"{where}: 'min' is above 'max'");
            return null;
        }
        return new Capability
        {
            Name = p.Name, Type = type, Values = values, Min = min, Max = max, Step = step,
            Unit = ReadString(v, "unit"),
            ReadOnly = v.TryGetProperty("read_only", out var ro) && ro.ValueKind == JsonValueKind.True,
        };
    }

    private static string? ReadString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? ReadNumber(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
