using System.Text.Json;

namespace Bridge.Protocols.Yeelight;

/// <summary>One command line as a bulb receives it (what the simulator reads).</summary>
public sealed record YeelightRequest(long Id, string Method, IReadOnlyList<YeelightParam> Params)
{
    private const int MaxParams = 16;

    /// <summary>Never throws. Params may only be strings and integers, as the protocol has them.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out YeelightRequest? request, out string error)
    {
        request = null;
        if (!YeelightJson.TryParseObject(line, out var doc, out error)) return false;
        using (doc)
        {
            var r = doc!.RootElement;
            if (!YeelightJson.TryGetId(r, out var id) || !r.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
            {
                error = "needs an integer id and a method";
                return false;
            }
            var args = new List<YeelightParam>();
            if (r.TryGetProperty("params", out var p))
            {
                if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() > MaxParams)
                {
                    error = $"params must be an array of at most {MaxParams}";
                    return false;
                }
                foreach (var a in p.EnumerateArray())
                {
                    if (a.ValueKind == JsonValueKind.String) args.Add(a.GetString()!);
                    else if (a.ValueKind == JsonValueKind.Number && a.TryGetInt64(out var n)) args.Add(n);
                    else
                    {
                        error = "params may only hold strings and integers";
                        return false;
                    }
                }
            }
            request = new YeelightRequest(id, m.GetString()!, args);
            error = "";
            return true;
        }
    }
}
