using System.Globalization;
using System.Text.Json;

namespace Bridge.Protocols.Yeelight;

public enum YeelightMessageKind { Result, Error, Props }

/// <summary>One line from a bulb: a command's result, its error, or a <c>props</c> notification.
/// Values are copied out as text (bulbs send numbers as strings or numbers), so nothing here
/// holds a buffer.</summary>
public sealed record YeelightMessage
{
    private const int MaxItems = 64;

    public required YeelightMessageKind Kind { get; init; }
    public long Id { get; init; }
    public IReadOnlyList<string> Results { get; init; } = [];
    public int ErrorCode { get; init; }
    public string ErrorMessage { get; init; } = "";
    public IReadOnlyList<KeyValuePair<string, string>> Props { get; init; } = [];

    /// <summary>Never throws: anything that is not one of the three shapes is refused with the reason.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out YeelightMessage? message, out string error)
    {
        message = null;
        if (!YeelightJson.TryParseObject(line, out var doc, out error)) return false;
        using (doc)
        {
            var r = doc!.RootElement;
            if (r.TryGetProperty("method", out var method))
            {
                if (method.ValueKind != JsonValueKind.String || method.GetString() != YeelightMethods.Props
                    || !r.TryGetProperty("params", out var p) || p.ValueKind != JsonValueKind.Object)
                {
                    error = "a notification other than props with an object of params";
                    return false;
                }
                var props = new List<KeyValuePair<string, string>>();
                foreach (var prop in p.EnumerateObject())
                {
                    if (props.Count == MaxItems) break;
                    if (Text(prop.Value) is { } v) props.Add(new(prop.Name, v));
                }
                message = new YeelightMessage { Kind = YeelightMessageKind.Props, Props = props };
                error = "";
                return true;
            }
            if (!YeelightJson.TryGetId(r, out var id))
            {
                error = "no integer id";
                return false;
            }
            if (r.TryGetProperty("error", out var err))
            {
                var code = err.ValueKind == JsonValueKind.Object && err.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci) ? ci : -1;
                var text = err.ValueKind == JsonValueKind.Object && err.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                message = new YeelightMessage { Kind = YeelightMessageKind.Error, Id = id, ErrorCode = code, ErrorMessage = text.Length > 200 ? text[..200] : text };
                error = "";
                return true;
            }
            if (!r.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
            {
                error = "neither a result array nor an error";
                return false;
            }
            var values = new List<string>();
            foreach (var v in result.EnumerateArray())
            {
                if (values.Count == MaxItems) break;
                values.Add(Text(v) ?? "");
            }
            message = new YeelightMessage { Kind = YeelightMessageKind.Result, Id = id, Results = values };
            error = "";
            return true;
        }
    }

    /// <summary>Strings as they are, numbers in invariant form; anything else is not a property value.</summary>
    internal static string? Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : v.GetDouble().ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
