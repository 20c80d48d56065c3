using Bridge.Protocols.Api;
using Bridge.Service.Api;

namespace Bridge.Service.Household;

/// <summary>The household ops' replies: <c>{"id":…,"ok":true,…}</c> with a scene, a timer, lists of
/// them, or a run's results; errors as every op answers them.</summary>
public static class HouseholdReplies
{
    public static ValueTask Error(ApiSession session, ApiRequest request, HouseholdError error) =>
        session.ReplyErrorAsync(request.Id, error.Code, error.Message);

    public static ValueTask Scene(ApiSession session, ApiRequest request, Scene scene) =>
        session.ReplyAsync((request.Id, scene), static (w, s) =>
        {
            Begin(w, s.Id);
            w.WritePropertyName("scene");
            HouseholdWriter.Scene(w, s.scene);
            w.WriteEndObject();
        });

    public static ValueTask Scenes(ApiSession session, ApiRequest request, IEnumerable<Scene> scenes) =>
        session.ReplyAsync((request.Id, scenes), static (w, s) =>
        {
            Begin(w, s.Id);
            w.WriteStartArray("scenes");
            foreach (var scene in s.scenes) HouseholdWriter.Scene(w, scene);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static ValueTask Timer(ApiSession session, ApiRequest request, HouseholdTimer timer, DateTimeOffset? next) =>
        session.ReplyAsync((request.Id, timer, next), static (w, s) =>
        {
            Begin(w, s.Id);
            w.WritePropertyName("timer");
            HouseholdWriter.Timer(w, s.timer, s.next, withNext: true, withSince: false);
            w.WriteEndObject();
        });

    public static ValueTask Timers(ApiSession session, ApiRequest request, IReadOnlyList<(HouseholdTimer Timer, DateTimeOffset? Next)> timers) =>
        session.ReplyAsync((request.Id, timers), static (w, s) =>
        {
            Begin(w, s.Id);
            w.WriteStartArray("timers");
            foreach (var (timer, next) in s.timers) HouseholdWriter.Timer(w, timer, next, withNext: true, withSince: false);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static ValueTask Results(ApiSession session, ApiRequest request, IReadOnlyList<ActionResult> results) =>
        session.ReplyAsync((request.Id, results), static (w, s) =>
        {
            Begin(w, s.Id);
            HouseholdWriter.Results(w, s.results);
            w.WriteEndObject();
        });

    private static void Begin(System.Text.Json.Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteBoolean("ok", true);
    }
}
