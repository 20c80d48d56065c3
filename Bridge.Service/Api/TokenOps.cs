using Bridge.Protocols.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Api;

/// <summary>The admin op <c>tokens</c>: what was issued (name, scope, jti, expiry, revoked); never the
/// token itself, which the bridge does not keep.</summary>
public sealed class TokensOp(TokenStore store) : IApiOp
{
    public string Name => "tokens";
    public TokenScope Scope => TokenScope.Admin;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var tokens = store.List();
        return session.ReplyOkAsync(request.Id, tokens, static (w, tokens) =>
        {
            w.WriteStartArray("tokens");
            foreach (var t in tokens)
            {
                w.WriteStartObject();
                w.WriteString("jti", t.Jti);
                w.WriteString("name", t.Name);
                w.WriteString("scope", TokenScopes.Name(t.Scope));
                w.WriteString("issued", t.IssuedAt);
                w.WriteString("expires", t.Expires);
                w.WriteBoolean("revoked", t.Revoked);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}

/// <summary>The admin op <c>revoke</c> <c>{"jti":"…"}</c>: the token is refused from now on, here and at the relay.</summary>
public sealed class RevokeOp(TokenStore store) : IApiOp
{
    public string Name => "revoke";
    public TokenScope Scope => TokenScope.Admin;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var jti = request.GetString("jti");
        if (string.IsNullOrEmpty(jti)) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "'jti' (a string) is missing");
        if (!store.Revoke(jti)) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "no unexpired token with that jti");
        return session.ReplyOkAsync(request.Id);
    }
}
