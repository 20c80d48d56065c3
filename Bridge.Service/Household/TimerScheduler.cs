using System.Collections.Concurrent;
using Bridge.Service.Api;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Household;

/// <summary>One timer's run: when it was due and what each device did.</summary>
public sealed record TimerRun(string Timer, DateTimeOffset Due, IReadOnlyList<ActionResult> Results);

/// <summary>Runs timers when they fall due, on the injected <see cref="TimeProvider"/>. Each due
/// time is recorded as handled in the household file before its actions go out, so a timer runs
/// at most once per due time, also across restarts and crashes. A due time found already passed
/// (the bridge was down, or the machine asleep) runs if it is at most <c>Timers:CatchUp</c> late,
/// else it is skipped and logged; of several missed, only the latest can run.</summary>
public sealed class TimerScheduler(
    HouseholdStore store,
    SceneRunner runner,
    Devices.DeviceRegistry registry,
    EventHub hub,
    IOptions<TimersOptions> options,
    TimeProvider time,
    ILogger<TimerScheduler> log) : BackgroundService
{
    // Wakes at least this often, so a wall clock set at boot (no RTC) or changed by hand is seen.
    private static readonly TimeSpan MaxNap = TimeSpan.FromHours(1);
    private const int MaxMissedCounted = 10_000;
    private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(1);
    // Devices restored from disk are offline until they report again: a run in the first moments
    // after start (a catch-up, typically) waits this long for its devices to come back.
    private static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan WaitForDevices = TimeSpan.FromSeconds(30);

    private readonly TimeZoneInfo _zone = options.Value.Zone();
    private readonly TimeSpan _catchUp = options.Value.CatchUp;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _handled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private TaskCompletionSource _wake = NewWake();
    private long _started;

    public TimeZoneInfo Zone => _zone;

    /// <summary>Raised after a timer's actions have all settled.</summary>
    public event Action<TimerRun>? Ran;

    /// <summary>Raised for a due time that was too late to run (timer id, the due time).</summary>
    public event Action<string, DateTimeOffset>? Skipped;

    /// <summary>When the timer runs next, or null while it is paused.</summary>
    public DateTimeOffset? NextFor(HouseholdTimer timer)
    {
        if (!timer.Enabled) return null;
        var after = Max(Max(timer.Since, _handled.GetValueOrDefault(timer.Id)), time.GetUtcNow());
        return NextRun.After(after, timer.At, timer.Days, _zone);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += Wake;
        _started = time.GetTimestamp();
        log.LogInformation("Timers run in time zone {Zone}; a missed timer is caught up if at most {CatchUp} late", _zone.Id, _catchUp);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_wake.Task.IsCompleted) _wake = NewWake();
                var wake = _wake;
                var now = time.GetUtcNow();
                var nap = HandleDue(now, stoppingToken);
                using var napping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var waiting = wake.Task.WaitAsync(nap, time, napping.Token);
                // The nap counts from when it began; if the clock moved on meanwhile (set by hand, or a
                // test's fake clock), it may be aimed past a due time: look again instead.
                if ((time.GetUtcNow() - now).Duration() > ClockSlack) await napping.CancelAsync().ConfigureAwait(false);
                try
                {
                    await waiting.ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            store.Changed -= Wake;
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
    }

    /// <summary>Starts every timer that is due; returns how long to wait for the next one.</summary>
    private TimeSpan HandleDue(DateTimeOffset now, CancellationToken ct)
    {
        var nap = MaxNap;
        foreach (var timer in store.Current.Timers.Values)
        {
            if (!timer.Enabled) continue;
            var since = Max(timer.Since, _handled.GetValueOrDefault(timer.Id));
            var due = NextRun.After(since, timer.At, timer.Days, _zone);
            if (due > now)
            {
                if (due - now < nap) nap = due - now;
                continue;
            }
            var missed = 0;
            for (var later = NextRun.After(due, timer.At, timer.Days, _zone); later <= now && missed < MaxMissedCounted;
                 later = NextRun.After(due, timer.At, timer.Days, _zone))
            {
                missed++;
                due = later;
            }
            var run = now - due <= _catchUp;
            if (!run) missed++;
            if (missed > 0)
            {
                log.LogWarning("Timer {Timer} missed {Missed} due times while the bridge was not running (the last at {Due}); " +
                               "only a run at most {CatchUp} late is caught up, so they were skipped",
                    timer.Id, missed, HouseholdWriter.LocalTime(due), _catchUp);
            }
            MarkHandled(timer, due);
            if (run) Track(RunAsync(timer, due, ct));
            else Skipped?.Invoke(timer.Id, due);
        }
        return nap < TimeSpan.Zero ? TimeSpan.Zero : nap;
    }

    /// <summary>Records the due time as handled, on disk before anything runs (at most once).</summary>
    private void MarkHandled(HouseholdTimer timer, DateTimeOffset due)
    {
        _handled[timer.Id] = due;
        var error = store.Change(s => s.Timers.TryGetValue(timer.Id, out var t) && t == timer
            ? (s with { Timers = s.Timers.SetItem(timer.Id, t with { Since = due }) }, null)
            : (null, null));
        if (error is not null)
            log.LogError("Timer {Timer}: its run at {Due} could not be recorded ({Reason}); it may run again after a restart",
                timer.Id, HouseholdWriter.LocalTime(due), error.Message);
    }

    private async Task RunAsync(HouseholdTimer timer, DateTimeOffset due, CancellationToken ct)
    {
        await Task.Yield();
        var actions = timer.Actions ?? (store.Current.Scenes.TryGetValue(timer.Scene!, out var scene) ? scene.Actions : null);
        if (actions is null)
        {
            log.LogWarning("Timer {Timer} runs scene {Scene}, which no longer exists; nothing was sent", timer.Id, timer.Scene);
            return;
        }
        ActionResult[] results;
        try
        {
            if (time.GetElapsedTime(_started) < StartGrace) await WaitOnlineAsync(actions, ct).ConfigureAwait(false);
            results = await runner.RunAsync(actions, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var confirmed = results.Count(r => r.Failure is null);
        if (confirmed == results.Length)
            log.LogInformation("Timer {Timer} ran for {Due}: {Confirmed} of {Count} devices confirmed", timer.Id, HouseholdWriter.LocalTime(due), confirmed, results.Length);
        else
            log.LogWarning("Timer {Timer} ran for {Due}: {Confirmed} of {Count} devices confirmed; failed: {Failed}", timer.Id, HouseholdWriter.LocalTime(due),
                confirmed, results.Length, string.Join(", ", results.Where(r => r.Failure is not null).Select(r => $"{r.Device} ({r.Failure!.Code})")));
        hub.Publish(w => HouseholdWriter.TimerRanEvent(w, timer.Id, results));
        Ran?.Invoke(new TimerRun(timer.Id, due, results));
    }

    /// <summary>Waits, within a bound, until every known device of the actions is online.</summary>
    private async Task WaitOnlineAsync(IReadOnlyList<SceneAction> actions, CancellationToken ct)
    {
        bool AllOnline() => actions.All(a => !registry.TryGet(a.Device, out var d) || d.Online);
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(Devices.Device _, bool __)
        {
            if (AllOnline()) online.TrySetResult();
        }
        registry.AvailabilityChanged += Check;
        try
        {
            if (AllOnline()) return;
            await online.Task.WaitAsync(WaitForDevices, time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            registry.AvailabilityChanged -= Check;
        }
    }

    private void Track(Task run)
    {
        _running.TryAdd(run, 0);
        _ = run.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Wake() => _wake.TrySetResult();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
