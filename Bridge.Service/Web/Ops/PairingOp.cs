using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Service.Discovery;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Bridge.Service.Web.Ops;

/// <summary><c>pairing</c> (admin) → the current pairing code, the bridge's LAN address and a QR code
/// holding both (<c>{"bridge":"…","address":"192.168.1.5:8970","code":"123456"}</c>, what a phone
/// scans), as rows of modules ("1" dark), so the console draws it without a library.</summary>
public sealed class PairingOp(PairingCodes codes, BridgeIdentity identity, ApiAddress api, IOptions<Api.ApiOptions> options) : Api.IApiOp
{
    public string Name => "pairing";
    public TokenScope Scope => TokenScope.Admin;

    public ValueTask HandleAsync(Api.ApiSession session, ApiRequest request)
    {
        var address = $"{LanAddress(options.Value.Bind)}:{api.Port}";
        var code = codes.Current;
        var payload = JsonSerializer.Serialize(new Dictionary<string, string> { ["bridge"] = identity.Id, ["address"] = address, ["code"] = code });
        using var generator = new QRCodeGenerator();
        using var qr = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        var rows = qr.ModuleMatrix.Select(row => string.Concat(row.Cast<bool>().Select(dark => dark ? '1' : '0'))).ToArray();
        return session.ReplyOkAsync(request.Id, (code, Bridge: identity.Id, address, payload, rows), static (w, s) =>
        {
            w.WriteString("code", s.code);
            w.WriteString("bridge", s.Bridge);
            w.WriteString("address", s.address);
            w.WriteString("qr_text", s.payload);
            w.WriteStartArray("qr");
            foreach (var row in s.rows) w.WriteStringValue(row);
            w.WriteEndArray();
        });
    }

    /// <summary>The address a phone on the LAN reaches: the bound one, or (bound to any) the first
    /// IPv4 address of an interface that is up and not loopback; loopback when there is none.</summary>
    private static string LanAddress(string bind)
    {
        if (IPAddress.TryParse(bind, out var bound) && !bound.Equals(IPAddress.Any)) return bound.ToString();
        var lan = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return (lan ?? IPAddress.Loopback).ToString();
    }
}
