using Bridge.Service.Drivers;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Commands;

namespace Bridge.Service.Household;

/// <summary>One device's outcome in a scene run: the state it confirmed, or why it failed.</summary>
public sealed record ActionResult(string Device, KeyValuePair<string, StateValue>[]? State, CommandFailure? Failure);

/// <summary>Runs a scene's actions: all of them go out at once through the
/// <see cref="CommandService"/> (each confirmed by its device as a <c>set</c> is), and the run ends
/// once every action has settled. One device's failure never holds up or fails the others.</summary>
public sealed class SceneRunner(CommandService commands, ILogger<SceneRunner> log)
{
    public async Task<ActionResult[]> RunAsync(IReadOnlyList<SceneAction> actions, CancellationToken ct)
    {
        var runs = new Task<ActionResult>[actions.Count];
        for (var i = 0; i < runs.Length; i++) runs[i] = RunOneAsync(actions[i], ct);
        return await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private async Task<ActionResult> RunOneAsync(SceneAction action, CancellationToken ct)
    {
        try
        {
            return new(action.Device, await commands.SetAsync(action.Device, action.State, ct).ConfigureAwait(false), null);
        }
        catch (CommandFailedException e)
        {
            return new(action.Device, null, e.Failure);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Setting {DeviceId} in a scene failed", action.Device);
            return new(action.Device, null, new CommandFailure(ErrorCodes.Internal, "the bridge failed to send this action"));
        }
    }
}
