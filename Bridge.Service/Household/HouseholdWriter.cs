using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Bridge.Protocols.Api;

namespace Bridge.Service.Household;

/// <summary>Writes scenes, timers, run results and the household's events as the API (and the
/// household file) shows them.</summary>
public static class HouseholdWriter
{
    public static void Scene(Utf8JsonWriter w, Scene scene)
    {
        w.WriteStartObject();
        w.WriteString("id", scene.Id);
        w.WriteString("name", scene.Name);
        Actions(w, scene.Actions);
        w.WriteEndObject();
    }

    /// <summary>A timer; <paramref name="next"/> for the API (null when paused), <paramref name="withSince"/> for the file.</summary>
    public static void Timer(Utf8JsonWriter w, HouseholdTimer timer, DateTimeOffset? next, bool withNext, bool withSince)
    {
        w.WriteStartObject();
        w.WriteString("id", timer.Id);
        w.WriteString("name", timer.Name);
        w.WriteString("at", timer.At.ToString("HH:mm", CultureInfo.InvariantCulture));
        w.WriteStartArray("days");
        foreach (var d in timer.Days.InWeekOrder()) w.WriteStringValue(d);
        w.WriteEndArray();
        if (timer.Scene is not null) w.WriteString("scene", timer.Scene);
        else Actions(w, timer.Actions!);
        w.WriteBoolean("enabled", timer.Enabled);
        if (withNext)
        {
            if (next is { } n) w.WriteString("next", LocalTime(n));
            else w.WriteNull("next");
        }
        if (withSince) w.WriteString("since", timer.Since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>ISO 8601 local time with the zone's offset at that moment, e.g. 2026-03-09T06:30:00-04:00.</summary>
    public static string LocalTime(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static void Results(Utf8JsonWriter w, IReadOnlyList<ActionResult> results)
    {
        w.WriteStartArray("results");
        foreach (var r in results)
        {
            w.WriteStartObject();
            w.WriteString("device", r.Device);
            w.WriteBoolean("ok", r.Failure is null);
            if (r.Failure is { } f) ApiWriter.ErrorMember(w, f.Code, f.Message);
            else
            {
                w.WritePropertyName("state");
                ApiWriter.State(w, r.State!);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void DeviceChangedEvent(IBufferWriter<byte> output, DeviceView device)
    {
        using var w = ApiWriter.Begin(output);
        w.WriteStartObject();
        w.WriteString("event", "device_changed");
        w.WritePropertyName("device");
        ApiWriter.Device(w, device);
        w.WriteEndObject();
    }

    public static void TimerRanEvent(IBufferWriter<byte> output, string timer, IReadOnlyList<ActionResult> results)
    {
        using var w = ApiWriter.Begin(output);
        w.WriteStartObject();
        w.WriteString("event", "timer_ran");
        w.WriteString("timer", timer);
        Results(w, results);
        w.WriteEndObject();
    }

    private static void Actions(Utf8JsonWriter w, IReadOnlyList<SceneAction> actions)
    {
        w.WriteStartArray("actions");
        foreach (var a in actions)
        {
            w.WriteStartObject();
            w.WriteString("device", a.Device);
            w.WritePropertyName("state");
            a.State.WriteTo(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
