using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Turns what a Tasmota device publishes into capability values, by the profile's mapping.</summary>
public static class TasmotaReportReader
{
    /// <summary>A JSON report (stat/RESULT, tele/STATE, tele/SENSOR). False when the payload is not JSON.</summary>
    public static bool TryReadJson(ReadOnlySequence<byte> payload, TasmotaMapping mapping, List<KeyValuePair<string, StateValue>> into)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return false;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            // The answer to "Status 10" wraps the sensor readings in StatusSNS.
            if (root.TryGetProperty("StatusSNS", out var sns) && sns.ValueKind == JsonValueKind.Object) root = sns;
            foreach (var map in mapping.Capabilities)
            {
                if (map.KeyPath.Length > 0 && TryFind(root, map.KeyPath, out var element) && TryConvert(map, element, out var value))
                    into.Add(new(map.Capability.Name, value));
                else if (map.SensorKey is not null && TryFindSensor(root, map.SensorKey, out var reading))
                    into.Add(new(map.Capability.Name, StateValue.Of(Math.Round(reading, 1))));
            }
            return true;
        }
    }

    private static bool TryFind(JsonElement root, string[] path, out JsonElement element)
    {
        element = root;
        foreach (var part in path)
        {
            if (element.ValueKind != JsonValueKind.Object) return false;
            // Tasmota's own spelling first (no allocation), then any case (stat/<t>/<COMMAND> upper-cases keys).
            if (element.TryGetProperty(part, out var exact))
            {
                element = exact;
                continue;
            }
            var found = false;
            foreach (var p in element.EnumerateObject())
            {
                if (string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase))
                {
                    element = p.Value;
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    private static bool TryFindSensor(JsonElement root, string key, out double reading)
    {
        reading = 0;
        foreach (var sensor in root.EnumerateObject())
        {
            if (sensor.Value.ValueKind != JsonValueKind.Object) continue;
            foreach (var p in sensor.Value.EnumerateObject())
            {
                if (string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Number)
                {
                    reading = p.Value.GetDouble();
                    return double.IsFinite(reading);
                }
            }
        }
        return false;
    }

    private static bool TryConvert(TasmotaCapabilityMap map, JsonElement element, out StateValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String: return TryConvertText(map, element.GetString()!, out value);
            case JsonValueKind.Number when map.Capability.Type != CapabilityType.Enum && element.TryGetDouble(out var number):
                return TryConvertNumber(map, number, out value);
            case JsonValueKind.Number: return TryConvertText(map, element.GetRawText(), out value);
            default: value = default; return false;
        }
    }

    private static bool TryConvertText(TasmotaCapabilityMap map, string text, out StateValue value)
    {
        value = default;
        var cap = map.Capability;
        if (cap.Type == CapabilityType.Enum)
        {
            if (map.FromDevice.TryGetValue(text, out var mapped))
            {
                value = StateValue.Of(mapped);
                return true;
            }
            // A numeric payload such as 1.0 for a "1" mapping.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) &&
                map.FromDevice.TryGetValue(n.ToString(CultureInfo.InvariantCulture), out mapped))
            {
                value = StateValue.Of(mapped);
                return true;
            }
            return false;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        return TryConvertNumber(map, number, out value);
    }

    private static bool TryConvertNumber(TasmotaCapabilityMap map, double number, out StateValue value)
    {
        value = default;
        var cap = map.Capability;
        if (!double.IsFinite(number)) return false;
        if (map.Mired) number = TasmotaColorTemp.MiredToKelvin(number);
        if (cap.Type == CapabilityType.Int) number = Math.Round(number);
        value = StateValue.Of(number);
        return true;
    }
}
