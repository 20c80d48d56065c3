using System.Text.Json;
using Bridge.Protocols.Api;

namespace Bridge.Service.Household;

/// <summary>The rules for the household's own words: names, rooms and ids. Names are plain text of
/// at most <see cref="MaxName"/> characters without control characters; markup such as
/// <c>&lt;script&gt;</c> is just text (clients show it as text). Ids are letters, digits,
/// '-', '_' and '.'.</summary>
public static class HouseholdText
{
    public const int MaxName = 64;
    public const int MaxId = 64;

    /// <summary>Reads an optional string field; a present field that is not a string, or is not
    /// valid text, is an error.</summary>
    public static bool TryField(JsonElement parent, string field, out string? value, out HouseholdError? error)
    {
        value = null;
        error = null;
        if (!parent.TryGetProperty(field, out var json) || json.ValueKind == JsonValueKind.Null) return true;
        if (json.ValueKind != JsonValueKind.String)
        {
            error = new(ErrorCodes.BadRequest, $"'{field}' must be a string");
            return false;
        }
        try
        {
            value = json.GetString();
        }
        catch (InvalidOperationException)
        {
            // Lone surrogates written as \uD800 escapes cannot become a .NET string.
            error = new(ErrorCodes.InvalidValue, $"'{field}' is not valid Unicode text");
            return false;
        }
        return true;
    }

    /// <summary>Checks a name or room: 1 to <see cref="MaxName"/> characters, not blank, no control characters.</summary>
    public static HouseholdError? CheckName(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value)) return new(ErrorCodes.InvalidValue, $"'{field}' is empty");
        if (value.Length > MaxName)
            return new(ErrorCodes.InvalidValue, $"'{field}' is {value.Length} characters long; at most {MaxName}");
        foreach (var c in value)
        {
            if (char.IsControl(c))
                return new(ErrorCodes.InvalidValue, $"'{field}' contains a control character (U+{(int)c:X4}); names are plain text");
        }
        return null;
    }

    public static HouseholdError? CheckId(string field, string value)
    {
        if (value.Length is 0 or > MaxId)
            return new(ErrorCodes.InvalidValue, $"'{field}' must be 1 to {MaxId} characters long");
        foreach (var c in value)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                return new(ErrorCodes.InvalidValue, $"'{field}' '{ApiTextCut(value)}' may hold only letters, digits, '-', '_' and '.'");
        }
        return null;
    }

    /// <summary>Reads a required id field.</summary>
    public static bool TryId(JsonElement parent, string field, out string id, out HouseholdError? error)
    {
        id = "";
        if (!TryField(parent, field, out var value, out error)) return false;
        if (value is null)
        {
            error = new(ErrorCodes.BadRequest, $"'{field}' (a string) is missing");
            return false;
        }
        error = CheckId(field, value);
        id = value;
        return error is null;
    }

    /// <summary>Reads an optional name field, checked as a name.</summary>
    public static bool TryName(JsonElement parent, string field, out string? name, out HouseholdError? error)
    {
        if (!TryField(parent, field, out name, out error)) return false;
        if (name is not null) error = CheckName(field, name);
        return error is null;
    }

    /// <summary>Client text quoted in an error message: short, and without control characters.</summary>
    public static string ApiTextCut(string s)
    {
        var cut = s.Length <= 40 ? s : s[..40] + "…";
        return string.Create(cut.Length, cut, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) ? '?' : src[i];
        });
    }
}
