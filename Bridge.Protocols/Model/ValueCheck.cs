using System.Globalization;
using System.Text.Json;

namespace Bridge.Protocols.Model;

/// <summary>Why a requested value was refused.</summary>
public enum ValueProblem { None, ReadOnly, Invalid }

/// <summary>Checks a requested value against a capability before anything is sent to a device.</summary>
public static class ValueCheck
{
    public static ValueProblem Check(Capability cap, JsonElement json, out StateValue value, out string message)
    {
        value = default;
        message = "";
        if (cap.ReadOnly)
        {
            message = $"'{cap.Name}' is read-only";
            return ValueProblem.ReadOnly;
        }
        switch (cap.Type)
        {
            case CapabilityType.Enum:
                if (json.ValueKind != JsonValueKind.String)
                    return Fail($"'{cap.Name}' takes one of {string.Join(", ", cap.Values)}", out message);
                var text = json.GetString()!;
                foreach (var allowed in cap.Values)
                {
                    if (string.Equals(allowed, text, StringComparison.Ordinal))
                    {
                        value = StateValue.Of(allowed);
                        return ValueProblem.None;
                    }
                }
                return Fail($"'{cap.Name}' takes one of {string.Join(", ", cap.Values)}, not '{Truncate(text)}'", out message);

            case CapabilityType.Int:
                if (json.ValueKind != JsonValueKind.Number || !json.TryGetInt64(out var i))
                    return Fail($"'{cap.Name}' takes a whole number{RangeText(cap)}", out message);
                return CheckRange(cap, i, out value, out message);

            default:
                if (json.ValueKind != JsonValueKind.Number)
                    return Fail($"'{cap.Name}' takes a number{RangeText(cap)}", out message);
                var d = json.GetDouble();
                if (CheckRange(cap, d, out value, out message) != ValueProblem.None) return ValueProblem.Invalid;
                if (cap.Step is { } step && step > 0)
                {
                    var steps = (d - (cap.Min ?? 0)) / step;
                    if (Math.Abs(steps - Math.Round(steps)) > 1e-6)
                        return Fail($"'{cap.Name}' moves in steps of {Format(step)}", out message);
                }
                return ValueProblem.None;
        }
    }

    private static ValueProblem CheckRange(Capability cap, double d, out StateValue value, out string message)
    {
        value = StateValue.Of(d);
        message = "";
        if ((cap.Min is { } min && d < min) || (cap.Max is { } max && d > max))
            return Fail($"'{cap.Name}' must be{RangeText(cap)}, not {Format(d)}", out message);
        return ValueProblem.None;
    }

    private static ValueProblem Fail(string text, out string message)
    {
        message = text;
        return ValueProblem.Invalid;
    }

    private static string RangeText(Capability cap) =>
        cap.Min is { } min && cap.Max is { } max ? $" from {Format(min)} to {Format(max)}{(cap.Unit is null ? "" : " " + cap.Unit)}" : "";

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
