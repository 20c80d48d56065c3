using System.Text.Json;

namespace Bridge.Simulator.LoadGen;

/// <summary>A device the load generator commands, with its power state as last known.</summary>
public sealed record DeviceTarget(string Id, bool PowerOn);

/// <summary>Reads the reply to <c>{"id":"d","op":"devices"}</c> and picks the devices to command.</summary>
public static class DeviceTargets
{
    /// <summary>
    /// Picks the online devices that have a <c>power</c> capability, or, when <paramref name="requested"/>
    /// is given, exactly those (in that order). Devices listed but unknown to the bridge are kept
    /// (their commands will fail with the bridge's error code) and reported in <paramref name="warnings"/>.
    /// </summary>
    public static IReadOnlyList<DeviceTarget> Select(
        ReadOnlySpan<byte> devicesReply, IReadOnlyList<string>? requested, out IReadOnlyList<string> warnings)
    {
        var notes = new List<string>();
        warnings = notes;
        var known = new Dictionary<string, (bool HasPower, bool Online, bool PowerOn)>(StringComparer.Ordinal);
        var order = new List<string>();

        var reader = new Utf8JsonReader(devicesReply);
        using JsonDocument doc = JsonDocument.ParseValue(ref reader);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("the devices reply is not a JSON object");
        }

        if (!root.TryGetProperty("ok", out JsonElement ok) || ok.ValueKind != JsonValueKind.True)
        {
            string code = root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out JsonElement c) ? c.ToString() : "unknown";
            throw new InvalidDataException($"the bridge refused to list devices: {code}");
        }

        if (root.TryGetProperty("devices", out JsonElement devices) && devices.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement device in devices.EnumerateArray())
            {
                if (device.ValueKind != JsonValueKind.Object
                    || !device.TryGetProperty("id", out JsonElement idElement)
                    || idElement.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                string id = idElement.GetString()!;
                bool hasPower = device.TryGetProperty("capabilities", out JsonElement caps)
                    && caps.ValueKind == JsonValueKind.Object
                    && caps.TryGetProperty("power", out _);
                bool online = !device.TryGetProperty("online", out JsonElement onlineElement)
                    || onlineElement.ValueKind != JsonValueKind.False;
                bool powerOn = device.TryGetProperty("state", out JsonElement state)
                    && state.ValueKind == JsonValueKind.Object
                    && state.TryGetProperty("power", out JsonElement power)
                    && power.ValueKind == JsonValueKind.String
                    && power.ValueEquals("on");
                if (known.TryAdd(id, (hasPower, online, powerOn)))
                {
                    order.Add(id);
                }
            }
        }

        var targets = new List<DeviceTarget>();
        if (requested is null)
        {
            foreach (string id in order)
            {
                var info = known[id];
                if (info.HasPower && info.Online)
                {
                    targets.Add(new DeviceTarget(id, info.PowerOn));
                }
            }

            return targets;
        }

        foreach (string id in requested)
        {
            if (known.TryGetValue(id, out var info))
            {
                if (!info.HasPower)
                {
                    notes.Add($"device '{id}' has no power capability");
                }
                else if (!info.Online)
                {
                    notes.Add($"device '{id}' is offline");
                }

                targets.Add(new DeviceTarget(id, info.PowerOn));
            }
            else
            {
                notes.Add($"device '{id}' is not known to the bridge");
                targets.Add(new DeviceTarget(id, false));
            }
        }

        return targets;
    }
}
