using Bridge.Protocols.Api;
using Bridge.Service.Devices;
using Bridge.Service.Security;

namespace Bridge.Service.Api.Ops;

/// <summary><c>get</c> → one device.</summary>
public sealed class GetOp(DeviceRegistry registry) : IApiOp
{
    public string Name => "get";
    public TokenScope Scope => TokenScope.Control;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!RequestDevice.TryResolve(registry, request, out var device, out var code, out var message))
            return session.ReplyErrorAsync(request.Id, code, message);
        return session.ReplyDeviceAsync(request.Id, device.View());
    }
}
