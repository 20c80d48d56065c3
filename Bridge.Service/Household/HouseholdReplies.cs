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
        session.ReplyOkAsync(request.Id, scene, static (w, scene) =>
        {
            w.WritePropertyName("scene");
            HouseholdWriter.Scene(w, scene);
        });

    public static ValueTask Scenes(ApiSession session, ApiRequest request, IEnumerable<Scene> scenes) =>
        session.ReplyOkAsync(request.Id, scenes, static (w, scenes) =>
        {
            w.WriteStartArray("scenes");
            foreach (var scene in scenes) HouseholdWriter.Scene(w, scene);
            w.WriteEndArray();
        });

    public static ValueTask Timer(ApiSession session, ApiRequest request, HouseholdTimer timer, DateTimeOffset? next) =>
        session.ReplyOkAsync(request.Id, (timer, next), static (w, s) =>
        {
            w.WritePropertyName("timer");
            HouseholdWriter.Timer(w, s.timer, s.next, withNext: true, withSince: false);
        });

    public static ValueTask Timers(ApiSession session, ApiRequest request, IReadOnlyList<(HouseholdTimer Timer, DateTimeOffset? Next)> timers) =>
        session.ReplyOkAsync(request.Id, timers, static (w, timers) =>
        {
            w.WriteStartArray("timers");
            foreach (var (timer, next) in timers) HouseholdWriter.Timer(w, timer, next, withNext: true, withSince: false);
            w.WriteEndArray();
        });

    public static ValueTask Results(ApiSession session, ApiRequest request, IReadOnlyList<ActionResult> results) =>
        session.ReplyOkAsync(request.Id, results, static (w, results) => HouseholdWriter.Results(w, results));
}
