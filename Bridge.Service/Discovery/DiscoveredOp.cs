using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Discovery;

/// <summary>The op <c>discovered</c> (scope install): devices that announce themselves, with
/// whether the bridge already controls them (CONTRACT.md).</summary>
public sealed class DiscoveredOp(DiscoveredDevices discovered) : IApiOp
{
    public string Name => "discovered";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var found = discovered.List();
        return session.ReplyOkAsync(request.Id, found, static (w, found) =>
        {
            w.WriteStartArray("found");
            foreach (var (d, adopted) in found)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("protocol", d.Protocol);
                w.WriteString("address", d.Address.ToString());
                // Additive to CONTRACT.md's shape: every announced address, IPv4 first.
                w.WriteStartArray("addresses");
                foreach (var a in d.Addresses) w.WriteStringValue(a.ToString());
                w.WriteEndArray();
                w.WriteNumber("port", d.Port);
                w.WriteString("name", d.Name);
                w.WriteString("source", d.Source);
                w.WriteBoolean("adopted", adopted);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
