using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Provisioning;

/// <summary>The op <c>provision</c> (scope install, CONTRACT.md "Provisioning"): progress events
/// <c>{"event":"provision","id":…,"step":…}</c> to this connection only, then
/// <c>{"ok":true,"device":Device|null,"redirect":…}</c> or a <c>provision_failed</c>/<c>busy</c> error.</summary>
public sealed class ProvisionOp(ProvisioningService provisioning) : IApiOp
{
    public string Name => "provision";
    public TokenScope Scope => TokenScope.Install;

    public async ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var provision = new ProvisionRequest(
            request.GetString("method") ?? "", request.GetString("target") ?? "", request.GetString("ssid") ?? "",
            request.GetString("password") ?? "", request.GetString("pop"), request.GetString("username"));
        Devices.Device? device;
        string? redirect;
        try
        {
            (device, redirect) = await provisioning.ProvisionAsync(provision,
                step => session.ReplyAsync((request.Id, step), static (w, s) =>
                {
                    w.WriteStartObject();
                    w.WriteString("event", "provision");
                    w.WriteString("id", s.Id);
                    w.WriteString("step", s.step);
                    w.WriteEndObject();
                }), session.Closed).ConfigureAwait(false);
        }
        catch (ProvisionFailedException e)
        {
            await session.ReplyErrorAsync(request.Id, e.Code, e.Message).ConfigureAwait(false);
            return;
        }
        var view = device?.View();
        await session.ReplyOkAsync(request.Id, (view, redirect), static (w, s) =>
        {
            w.WritePropertyName("device");
            if (s.view is { } v) ApiWriter.Device(w, v);
            else w.WriteNullValue();
            w.WriteString("redirect", s.redirect);
        }).ConfigureAwait(false);
    }
}

/// <summary>The op <c>wifi_networks</c> (scope install): the networks the device itself sees,
/// strongest first, so an installer picks one instead of typing it.</summary>
public sealed class WifiNetworksOp(ProvisioningService provisioning) : IApiOp
{
    public string Name => "wifi_networks";
    public TokenScope Scope => TokenScope.Install;

    public async ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        IReadOnlyList<WifiNetwork> networks;
        try
        {
            networks = await provisioning.NetworksAsync(request.GetString("method") ?? "", request.GetString("target") ?? "", session.Closed).ConfigureAwait(false);
        }
        catch (ProvisionFailedException e)
        {
            await session.ReplyErrorAsync(request.Id, e.Code, e.Message).ConfigureAwait(false);
            return;
        }
        await session.ReplyOkAsync(request.Id, networks, static (w, networks) =>
        {
            w.WriteStartArray("networks");
            foreach (var n in networks)
            {
                w.WriteStartObject();
                w.WriteString("ssid", n.Ssid);
                w.WriteNumber("rssi", n.Rssi);
                w.WriteBoolean("secure", n.Secure);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }
}
