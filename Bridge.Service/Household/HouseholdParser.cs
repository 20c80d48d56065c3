using System.Globalization;
using System.Text.Json;
using Bridge.Protocols.Api;

namespace Bridge.Service.Household;

/// <summary>Reads scenes and timers from JSON (requests and the household file alike) and checks
/// their shape: ids, names, sizes, a time of day, weekdays, one action per device. Whether the
/// devices exist and take those values is <see cref="ActionCheck"/>'s part.</summary>
public static class HouseholdParser
{
    /// <summary>Enough for every device of a large home; bounds what one run sends at once.</summary>
    public const int MaxActions = 256;
    private const int MaxDeviceId = 128;

    public static bool TryScene(JsonElement json, out Scene scene, out HouseholdError? error)
    {
        scene = null!;
        if (json.ValueKind != JsonValueKind.Object) return Fail(out error, ErrorCodes.BadRequest, "'scene' must be an object with 'id', 'name' and 'actions'");
        if (!HouseholdText.TryId(json, "id", out var id, out error)) return false;
        if (!HouseholdText.TryName(json, "name", out var name, out error)) return false;
        if (!json.TryGetProperty("actions", out var actionsJson)) return Fail(out error, ErrorCodes.BadRequest, "'actions' (an array) is missing");
        if (!TryActions(actionsJson, out var actions, out error)) return false;
        scene = new Scene(id, name ?? id, actions);
        return true;
    }

    public static bool TryTimer(JsonElement json, DateTimeOffset since, out HouseholdTimer timer, out HouseholdError? error)
    {
        timer = null!;
        if (json.ValueKind != JsonValueKind.Object) return Fail(out error, ErrorCodes.BadRequest, "'timer' must be an object with 'id', 'at' and 'scene' or 'actions'");
        if (!HouseholdText.TryId(json, "id", out var id, out error)) return false;
        if (!HouseholdText.TryName(json, "name", out var name, out error)) return false;
        if (!HouseholdText.TryField(json, "at", out var atText, out error)) return false;
        if (atText is null) return Fail(out error, ErrorCodes.BadRequest, "'at' (a time of day, \"HH:mm\") is missing");
        if (!TryTimeOfDay(atText, out var at))
            return Fail(out error, ErrorCodes.InvalidValue, $"'at' '{HouseholdText.ApiTextCut(atText)}' is not a time of day (\"HH:mm\", 00:00 to 23:59)");
        if (!TryDays(json, out var days, out error)) return false;

        var enabled = true;
        if (json.TryGetProperty("enabled", out var enabledJson))
        {
            if (enabledJson.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return Fail(out error, ErrorCodes.BadRequest, "'enabled' must be true or false");
            enabled = enabledJson.GetBoolean();
        }

        var hasActions = json.TryGetProperty("actions", out var actionsJson);
        if (!HouseholdText.TryField(json, "scene", out var sceneId, out error)) return false;
        if (hasActions == (sceneId is not null))
            return Fail(out error, ErrorCodes.BadRequest, "a timer runs either a 'scene' (its id) or its own 'actions', one of the two");
        IReadOnlyList<SceneAction>? actions = null;
        if (sceneId is not null)
        {
            if ((error = HouseholdText.CheckId("scene", sceneId)) is not null) return false;
        }
        else if (!TryActions(actionsJson, out var list, out error)) return false;
        else actions = list;

        timer = new HouseholdTimer(id, name ?? id, at, days, sceneId, actions, enabled, since);
        return true;
    }

    /// <summary>"HH:mm", 24-hour, two digits each: 00:00 to 23:59.</summary>
    public static bool TryTimeOfDay(string text, out TimeOnly at)
    {
        at = default;
        if (text.Length != 5 || text[2] != ':') return false;
        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ||
            !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (h > 23 || m > 59) return false;
        at = new TimeOnly(h, m);
        return true;
    }

    private static bool TryDays(JsonElement json, out WeekDays days, out HouseholdError? error)
    {
        days = WeekDays.Every;
        error = null;
        if (!json.TryGetProperty("days", out var daysJson) || daysJson.ValueKind == JsonValueKind.Null) return true;
        if (daysJson.ValueKind != JsonValueKind.Array)
            return Fail(out error, ErrorCodes.BadRequest, "'days' must be an array of \"mon\" … \"sun\" (absent: every day)");
        days = default;
        foreach (var d in daysJson.EnumerateArray())
        {
            var name = d.ValueKind == JsonValueKind.String ? d.GetString()! : d.GetRawText();
            if (!WeekDays.TryParseDay(name, out var day))
                return Fail(out error, ErrorCodes.InvalidValue, $"'days' holds '{HouseholdText.ApiTextCut(name)}'; days are mon, tue, wed, thu, fri, sat, sun");
            if (days.Contains(day)) return Fail(out error, ErrorCodes.BadRequest, $"'days' names '{name}' twice");
            days = days.With(day);
        }
        if (days.IsEmpty) return Fail(out error, ErrorCodes.InvalidValue, "'days' is empty; leave it out for every day, or pause the timer with \"enabled\":false");
        return true;
    }

    private static bool TryActions(JsonElement json, out IReadOnlyList<SceneAction> actions, out HouseholdError? error)
    {
        actions = [];
        if (json.ValueKind != JsonValueKind.Array) return Fail(out error, ErrorCodes.BadRequest, "'actions' must be an array of {\"device\":…,\"state\":{…}}");
        var count = json.GetArrayLength();
        if (count == 0) return Fail(out error, ErrorCodes.BadRequest, "'actions' is empty; a scene sets at least one device");
        if (count > MaxActions) return Fail(out error, ErrorCodes.BadRequest, $"'actions' holds {count} actions; at most {MaxActions}");
        var list = new List<SceneAction>(count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        foreach (var a in json.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Object) return Fail(out error, ErrorCodes.BadRequest, $"action {i} must be an object {{\"device\":…,\"state\":{{…}}}}");
            if (a.TryGetProperty("scene", out _))
                return Fail(out error, ErrorCodes.BadRequest, $"action {i} names a scene; actions name devices (a scene cannot run a scene, nor itself)");
            if (!HouseholdText.TryField(a, "device", out var device, out error)) return Prefix(ref error, i);
            if (device is null) return Fail(out error, ErrorCodes.BadRequest, $"action {i}: 'device' (a string) is missing");
            if (device.Length is 0 or > MaxDeviceId) return Fail(out error, ErrorCodes.BadRequest, $"action {i}: 'device' must be 1 to {MaxDeviceId} characters long");
            if (seen.TryGetValue(device, out var first))
                return Fail(out error, ErrorCodes.BadRequest, $"action {i}: device '{HouseholdText.ApiTextCut(device)}' is already set by action {first}; put all its values in one action");
            seen[device] = i;
            if (!a.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object)
                return Fail(out error, ErrorCodes.BadRequest, $"action {i} (device '{HouseholdText.ApiTextCut(device)}'): 'state' (an object of capability values) is missing");
            list.Add(new SceneAction(device, state.Clone()));
            i++;
        }
        actions = list;
        error = null;
        return true;
    }

    private static bool Prefix(ref HouseholdError? error, int action)
    {
        error = error! with { Message = $"action {action}: {error.Message}" };
        return false;
    }

    private static bool Fail(out HouseholdError? error, string code, string message)
    {
        error = new HouseholdError(code, message);
        return false;
    }
}
