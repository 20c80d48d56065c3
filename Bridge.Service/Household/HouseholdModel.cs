using System.Text.Json;

namespace Bridge.Service.Household;

/// <summary>One device's part of a scene or timer: the state to set, kept as the client sent it
/// (already checked against the device's capabilities when saved).</summary>
public sealed record SceneAction(string Device, JsonElement State);

/// <summary>A named set of actions that run together ("离家": lamps off, AC off).</summary>
public sealed record Scene(string Id, string Name, IReadOnlyList<SceneAction> Actions);

/// <summary>A time of day on some weekdays that runs a scene or its own actions. <see cref="Since"/>
/// is the last due time handled (run or skipped), or when the timer was saved: the next run is the
/// first due time after it, which is what makes a timer run at most once per due time, also across
/// restarts.</summary>
public sealed record HouseholdTimer(
    string Id,
    string Name,
    TimeOnly At,
    WeekDays Days,
    string? Scene,
    IReadOnlyList<SceneAction>? Actions,
    bool Enabled,
    DateTimeOffset Since);

/// <summary>Why a request about the household was refused, in the API's terms.</summary>
public sealed record HouseholdError(string Code, string Message);
