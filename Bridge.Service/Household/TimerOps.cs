using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Household;

/// <summary><c>timer_save</c>: adds a timer or replaces the one with its id. Its next run counts
/// from now: saving never runs a timer for a time already past.</summary>
public sealed class TimerSaveOp(HouseholdStore store, ActionCheck check, TimerScheduler scheduler, TimeProvider time) : IApiOp
{
    public const int MaxTimers = 256;

    public string Name => "timer_save";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!request.TryGet("timer", out var json)) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "'timer' (an object) is missing");
        if (!HouseholdParser.TryTimer(json, time.GetUtcNow(), out var timer, out var error) ||
            (timer.Actions is not null && (error = check.Check(timer.Actions)) is not null))
            return HouseholdReplies.Error(session, request, error!);
        error = store.Change(s =>
        {
            if (timer.Scene is not null && !s.Scenes.ContainsKey(timer.Scene))
                return (null, new HouseholdError(ErrorCodes.BadRequest, $"no scene '{HouseholdText.ApiTextCut(timer.Scene)}'; save the scene first"));
            if (!s.Timers.ContainsKey(timer.Id) && s.Timers.Count >= MaxTimers)
                return (null, new HouseholdError(ErrorCodes.BadRequest, $"the bridge keeps at most {MaxTimers} timers; delete one first"));
            return (s with { Timers = s.Timers.SetItem(timer.Id, timer) }, null);
        });
        return error is null
            ? HouseholdReplies.Timer(session, request, timer, scheduler.NextFor(timer))
            : HouseholdReplies.Error(session, request, error);
    }
}

/// <summary><c>timers</c>: every timer with its next run (ISO 8601, the home's local time and offset).</summary>
public sealed class TimersOp(HouseholdStore store, TimerScheduler scheduler) : IApiOp
{
    public string Name => "timers";
    public TokenScope Scope => TokenScope.Control;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request) =>
        HouseholdReplies.Timers(session, request, store.Current.Timers.Values.Select(t => (t, scheduler.NextFor(t))).ToArray());
}

/// <summary><c>timer_delete</c>: forgets a timer.</summary>
public sealed class TimerDeleteOp(HouseholdStore store) : IApiOp
{
    public string Name => "timer_delete";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!HouseholdText.TryField(request.Root, "timer", out var id, out var error)) return HouseholdReplies.Error(session, request, error!);
        if (id is null) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "'timer' (the timer's id) is missing");
        error = store.Change(s => s.Timers.ContainsKey(id)
            ? (s with { Timers = s.Timers.Remove(id) }, null)
            : (null, new HouseholdError(ErrorCodes.BadRequest, $"no timer '{HouseholdText.ApiTextCut(id)}'")));
        return error is null ? session.ReplyOkAsync(request.Id) : HouseholdReplies.Error(session, request, error);
    }
}
