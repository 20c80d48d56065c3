using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Adoption;

/// <summary>The op <c>adopt</c> (scope install): <c>{"op":"adopt","device":"&lt;discovered id&gt;"}</c>, with
/// <c>"key"</c> or <c>"token"</c> for a device that needs one → <c>{"ok":true,"device":Device}</c> once the
/// device is controllable (CONTRACT.md). The adopter is the device's protocol's. A device that announces
/// nothing is adopted by address instead: <c>{"op":"adopt","address":"192.168.1.50"}</c> (and <c>"protocol"</c>
/// when several protocols adopt by address); <c>"password"</c> carries a Tasmota's web password.</summary>
public sealed class AdoptOp(AdopterRegistry adopters) : IApiOp
{
    public string Name => "adopt";
    public TokenScope Scope => TokenScope.Install;

    public async ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var id = request.GetString("device");
        var address = request.GetString("address");
        if (string.IsNullOrEmpty(id) == string.IsNullOrEmpty(address))
        {
            await session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest,
                string.IsNullOrEmpty(id) ? "'device' (a string) is missing (or 'address' for a device that announces nothing)" : "give 'device' or 'address', not both").ConfigureAwait(false);
            return;
        }
        if (!TryCredential(request, out var credential, out var problem))
        {
            await session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, problem).ConfigureAwait(false);
            return;
        }
        Devices.Device device;
        try
        {
            device = !string.IsNullOrEmpty(id)
                ? await adopters.AdoptAsync(id, credential, session.Closed).ConfigureAwait(false)
                : await adopters.AdoptAtAsync(address!, request.GetString("protocol"), credential, session.Closed).ConfigureAwait(false);
        }
        catch (AdoptFailedException e)
        {
            await session.ReplyErrorAsync(request.Id, e.Code, e.Message).ConfigureAwait(false);
            return;
        }
        await session.ReplyDeviceAsync(request.Id, device.View()).ConfigureAwait(false);
    }

    private static bool TryCredential(ApiRequest request, out AdoptCredential? credential, out string problem)
    {
        credential = null;
        problem = "";
        foreach (var kind in (ReadOnlySpan<string>)[AdoptCredential.Key, AdoptCredential.Token, AdoptCredential.Password])
        {
            if (!request.TryGet(kind, out var value)) continue;
            if (value.ValueKind != System.Text.Json.JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                problem = $"'{kind}' must be a non-empty string";
                return false;
            }
            if (credential is not null)
            {
                problem = "give one of 'key', 'token' and 'password'";
                return false;
            }
            credential = new AdoptCredential(kind, text);
        }
        return true;
    }
}
