using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Household;

/// <summary><c>scene_save</c>: adds a scene or replaces the one with its id, once every action has
/// been checked against the devices; saves of one id from two clients at once are applied one
/// after the other (the later one is what stays).</summary>
public sealed class SceneSaveOp(HouseholdStore store, ActionCheck check) : IApiOp
{
    public const int MaxScenes = 256;

    public string Name => "scene_save";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!request.TryGet("scene", out var json)) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "'scene' (an object) is missing");
        if (!HouseholdParser.TryScene(json, out var scene, out var error) || (error = check.Check(scene.Actions)) is not null)
            return HouseholdReplies.Error(session, request, error!);
        error = store.Change(s =>
            !s.Scenes.ContainsKey(scene.Id) && s.Scenes.Count >= MaxScenes
                ? (null, new HouseholdError(ErrorCodes.BadRequest, $"the bridge keeps at most {MaxScenes} scenes; delete one first"))
                : (s with { Scenes = s.Scenes.SetItem(scene.Id, scene) }, null));
        return error is null ? HouseholdReplies.Scene(session, request, scene) : HouseholdReplies.Error(session, request, error);
    }
}

/// <summary><c>scenes</c>: every saved scene, by id.</summary>
public sealed class ScenesOp(HouseholdStore store) : IApiOp
{
    public string Name => "scenes";
    public TokenScope Scope => TokenScope.Control;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request) =>
        HouseholdReplies.Scenes(session, request, store.Current.Scenes.Values);
}

/// <summary><c>scene_run</c>: sends every action at once and replies once all have settled, with
/// each device's confirmed state or its error. The run goes on if the client goes away.</summary>
public sealed class SceneRunOp(HouseholdStore store, SceneRunner runner) : IApiOp
{
    public string Name => "scene_run";
    public TokenScope Scope => TokenScope.Control;

    public async ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!SceneIds.TryFind(store, request, out var scene, out var error))
        {
            await HouseholdReplies.Error(session, request, error!).ConfigureAwait(false);
            return;
        }
        var results = await runner.RunAsync(scene.Actions, CancellationToken.None).ConfigureAwait(false);
        await HouseholdReplies.Results(session, request, results).ConfigureAwait(false);
    }
}

/// <summary><c>scene_delete</c>: forgets a scene, unless a timer still runs it.</summary>
public sealed class SceneDeleteOp(HouseholdStore store) : IApiOp
{
    public string Name => "scene_delete";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!SceneIds.TryFind(store, request, out var scene, out var error)) return HouseholdReplies.Error(session, request, error!);
        error = store.Change(s =>
        {
            var users = s.Timers.Values.Where(t => t.Scene == scene.Id).Select(t => t.Id).ToArray();
            if (users.Length > 0)
                return (null, new HouseholdError(ErrorCodes.BadRequest, $"timer {string.Join(", ", users.Select(u => $"'{u}'"))} runs this scene; delete or change it first"));
            return (s with { Scenes = s.Scenes.Remove(scene.Id) }, null);
        });
        return error is null ? session.ReplyOkAsync(request.Id) : HouseholdReplies.Error(session, request, error);
    }
}

/// <summary>The scene a request names in its <c>scene</c> field.</summary>
internal static class SceneIds
{
    public static bool TryFind(HouseholdStore store, ApiRequest request, out Scene scene, out HouseholdError? error)
    {
        scene = null!;
        if (!HouseholdText.TryField(request.Root, "scene", out var id, out error)) return false;
        if (id is null)
        {
            error = new(ErrorCodes.BadRequest, "'scene' (the scene's id) is missing");
            return false;
        }
        if (!store.Current.Scenes.TryGetValue(id, out scene!))
        {
            error = new(ErrorCodes.BadRequest, $"no scene '{HouseholdText.ApiTextCut(id)}'");
            return false;
        }
        return true;
    }
}
