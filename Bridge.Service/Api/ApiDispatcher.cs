using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Bridge.Service.Security;

namespace Bridge.Service.Api;

/// <summary>Routes each request by its <c>op</c> from a table, after checking the token's scope.</summary>
public sealed class ApiDispatcher
{
    private delegate ValueTask Handler(ApiSession session, ApiRequest request);

    private readonly Dictionary<string, (TokenScope Scope, Handler Handle)> _ops;
    private readonly DeviceRegistry _registry;
    private readonly CommandService _commands;
    private readonly CommandMetrics _metrics;
    private readonly TimeProvider _time;

    public ApiDispatcher(DeviceRegistry registry, CommandService commands, TokenStore tokens, Discovery.DiscoveredDevices discovered,
        Adoption.AdopterRegistry adopters, CommandMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _registry = registry;
        _commands = commands;
        _ops = new(StringComparer.Ordinal)
        {
            ["ping"] = (TokenScope.Control, (s, r) => s.ReplyOkAsync(r.Id)),
            ["devices"] = (TokenScope.Control, DevicesAsync),
            ["get"] = (TokenScope.Control, GetAsync),
            ["set"] = (TokenScope.Control, SetAsync),
            ["subscribe"] = (TokenScope.Control, SubscribeAsync),
            ["tokens"] = (TokenScope.Admin, (s, r) => TokenOps.ListAsync(tokens, s, r)),
            ["revoke"] = (TokenScope.Admin, (s, r) => TokenOps.RevokeAsync(tokens, s, r)),
            ["discovered"] = (TokenScope.Install, (s, r) => Discovery.DiscoveredOps.ListAsync(discovered, s, r)),
            ["adopt"] = (TokenScope.Install, (s, r) => Adoption.AdoptOps.AdoptAsync(adopters, s, r)),
        };
    }

    public ValueTask DispatchAsync(ApiSession session, ApiRequest request)
    {
        if (!_ops.TryGetValue(request.Op, out var op))
            return session.ReplyErrorAsync(request.Id, ErrorCodes.UnknownOp, $"unknown op '{Truncate(request.Op)}' (known: {string.Join(", ", _ops.Keys)})");
        if (session.Token.Scope < op.Scope)
            return session.ReplyErrorAsync(request.Id, ErrorCodes.Forbidden, $"'{request.Op}' needs a token of scope {TokenScopes.Name(op.Scope)}");
        return op.Handle(session, request);
    }

    private ValueTask DevicesAsync(ApiSession session, ApiRequest request)
    {
        var views = _registry.All().Select(d => d.View()).ToArray();
        return session.ReplyAsync((request.Id, views), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteBoolean("ok", true);
            w.WriteStartArray("devices");
            foreach (var v in s.views) ApiWriter.Device(w, v);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private ValueTask GetAsync(ApiSession session, ApiRequest request)
    {
        if (!TryDevice(request, out var device, out var code, out var message))
            return session.ReplyErrorAsync(request.Id, code, message);
        return session.ReplyDeviceAsync(request.Id, device.View());
    }

    private async ValueTask SetAsync(ApiSession session, ApiRequest request)
    {
        var started = _time.GetTimestamp();
        KeyValuePair<string, Protocols.Model.StateValue>[]? confirmed;
        CommandFailure? failure;
        try
        {
            (confirmed, failure) = await RunSetAsync(session, request).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _metrics.Observe(CommandMetrics.Cancelled, _time.GetElapsedTime(started));
            throw;
        }
        // Recorded before the reply leaves, so a client holding the reply finds it counted.
        _metrics.Observe(failure?.Code ?? CommandMetrics.Ok, _time.GetElapsedTime(started));
        if (failure is not null)
        {
            await session.ReplyErrorAsync(request.Id, failure.Code, failure.Message).ConfigureAwait(false);
            return;
        }
        await session.ReplyAsync((request.Id, confirmed!), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteBoolean("ok", true);
            w.WritePropertyName("state");
            ApiWriter.State(w, s.Item2);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The <c>set</c> op without its reply: the confirmed state, or why it failed.</summary>
    private async ValueTask<(KeyValuePair<string, Protocols.Model.StateValue>[]? Confirmed, CommandFailure? Failure)> RunSetAsync(
        ApiSession session, ApiRequest request)
    {
        if (!TryDevice(request, out var device, out var code, out var message)) return (null, new CommandFailure(code, message));
        if (!request.TryGet("state", out var state)) return (null, new CommandFailure(ErrorCodes.BadRequest, "'state' is missing"));
        try
        {
            return (await _commands.SetAsync(device.Id, state, session.Closed).ConfigureAwait(false), null);
        }
        catch (CommandFailedException e)
        {
            return (null, e.Failure);
        }
    }

    private static ValueTask SubscribeAsync(ApiSession session, ApiRequest request)
    {
        session.SubscribeToEvents();
        return session.ReplyOkAsync(request.Id);
    }

    private bool TryDevice(ApiRequest request, out Device device, out string code, out string message)
    {
        device = null!;
        var id = request.GetString("device");
        if (id is null)
        {
            (code, message) = (ErrorCodes.BadRequest, "'device' (a string) is missing");
            return false;
        }
        if (!_registry.TryGet(id, out device))
        {
            (code, message) = (ErrorCodes.UnknownDevice, $"no device '{Truncate(id)}'");
            return false;
        }
        (code, message) = ("", "");
        return true;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
