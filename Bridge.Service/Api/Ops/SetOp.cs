using Bridge.Service.Drivers;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Bridge.Service.Security;

namespace Bridge.Service.Api.Ops;

/// <summary><c>set</c> → the state the device itself confirmed, or why it failed; every outcome is
/// counted in <see cref="CommandMetrics"/>.</summary>
public sealed class SetOp(DeviceRegistry registry, CommandService commands, CommandMetrics metrics, TimeProvider time) : IApiOp
{
    public string Name => "set";
    public TokenScope Scope => TokenScope.Control;

    public async ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var started = time.GetTimestamp();
        KeyValuePair<string, StateValue>[]? confirmed;
        CommandFailure? failure;
        try
        {
            (confirmed, failure) = await RunAsync(session, request).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            metrics.Observe(CommandMetrics.Cancelled, time.GetElapsedTime(started));
            throw;
        }
        // Recorded before the reply leaves, so a client holding the reply finds it counted.
        metrics.Observe(failure?.Code ?? CommandMetrics.Ok, time.GetElapsedTime(started));
        if (failure is not null)
        {
            await session.ReplyErrorAsync(request.Id, failure.Code, failure.Message).ConfigureAwait(false);
            return;
        }
        await session.ReplyOkAsync(request.Id, confirmed!, static (w, confirmed) =>
        {
            w.WritePropertyName("state");
            ApiWriter.State(w, confirmed);
        }).ConfigureAwait(false);
    }

    /// <summary>The op without its reply: the confirmed state, or why it failed.</summary>
    private async ValueTask<(KeyValuePair<string, StateValue>[]? Confirmed, CommandFailure? Failure)> RunAsync(
        ApiSession session, ApiRequest request)
    {
        if (!RequestDevice.TryResolve(registry, request, out var device, out var code, out var message)) return (null, new CommandFailure(code, message));
        if (!request.TryGet("state", out var state)) return (null, new CommandFailure(ErrorCodes.BadRequest, "'state' is missing"));
        try
        {
            return (await commands.SetAsync(device.Id, state, session.Closed).ConfigureAwait(false), null);
        }
        catch (CommandFailedException e)
        {
            return (null, e.Failure);
        }
    }
}
