using System.Collections.Frozen;
using Bridge.Protocols.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Api;

/// <summary>Routes each request by its <c>op</c> from a table of the registered <see cref="IApiOp"/>s,
/// after checking the token's scope.</summary>
public sealed class ApiDispatcher
{
    private readonly FrozenDictionary<string, IApiOp> _ops;
    private readonly string _known;

    public ApiDispatcher(IEnumerable<IApiOp> ops)
    {
        var table = new Dictionary<string, IApiOp>(StringComparer.Ordinal);
        foreach (var op in ops)
            if (!table.TryAdd(op.Name, op))
                throw new InvalidOperationException($"two API ops are named '{op.Name}': {table[op.Name].GetType().Name} and {op.GetType().Name}");
        _ops = table.ToFrozenDictionary(StringComparer.Ordinal);
        _known = string.Join(", ", table.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The names of every op, for help texts and tests.</summary>
    public IEnumerable<string> Names => _ops.Keys;

    public ValueTask DispatchAsync(ApiSession session, ApiRequest request)
    {
        if (!_ops.TryGetValue(request.Op, out var op))
            return session.ReplyErrorAsync(request.Id, ErrorCodes.UnknownOp, $"unknown op '{ApiText.Truncate(request.Op)}' (known: {_known})");
        if (session.Token.Scope < op.Scope)
            return session.ReplyErrorAsync(request.Id, ErrorCodes.Forbidden, $"'{request.Op}' needs a token of scope {TokenScopes.Name(op.Scope)}");
        return op.HandleAsync(session, request);
    }
}
