using Bridge.Protocols.Api;
using Bridge.Service.Relay;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Web.Ops;

/// <summary><c>relay</c> → <c>{"configured":bool,"connected":bool,"connects":N,"urls":[...]}</c>: whether the
/// bridge keeps a link to a relay (<c>Relay:Url</c>) and whether it is up now, for the console.</summary>
public sealed class RelayStatusOp(IOptions<RelayOptions> options, IServiceProvider services) : Api.IApiOp
{
    public string Name => "relay";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(Api.ApiSession session, ApiRequest request)
    {
        var link = services.GetService<RelayLink>();
        var status = (Urls: options.Value.Urls, Configured: link is not null, Connected: link?.IsConnected ?? false, Connects: link?.Connects ?? 0);
        return session.ReplyOkAsync(request.Id, status, static (w, s) =>
        {
            w.WriteBoolean("configured", s.Configured);
            w.WriteBoolean("connected", s.Connected);
            w.WriteNumber("connects", s.Connects);
            w.WriteStartArray("urls");
            foreach (var url in s.Urls) w.WriteStringValue(url);
            w.WriteEndArray();
        });
    }
}
