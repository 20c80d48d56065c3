using Bridge.Protocols.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Api.Ops;

/// <summary><c>subscribe</c>: from now on the session receives every event.</summary>
public sealed class SubscribeOp : IApiOp
{
    public string Name => "subscribe";
    public TokenScope Scope => TokenScope.Control;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        session.SubscribeToEvents();
        return session.ReplyOkAsync(request.Id);
    }
}
