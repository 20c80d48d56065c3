using Bridge.Protocols.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Api.Ops;

/// <summary><c>ping</c> → <c>{"ok":true}</c>: a client's liveness check.</summary>
public sealed class PingOp : IApiOp
{
    public string Name => "ping";
    public TokenScope Scope => TokenScope.Control;
    public ValueTask HandleAsync(ApiSession session, ApiRequest request) => session.ReplyOkAsync(request.Id);
}
