using Bridge.Protocols.Api;
using Bridge.Service.Devices;

namespace Bridge.Service.Api;

/// <summary>The device a request names in its <c>device</c> field, or the error to answer with.</summary>
public static class RequestDevice
{
    public static bool TryResolve(DeviceRegistry registry, ApiRequest request, out Device device, out string code, out string message)
    {
        device = null!;
        var id = request.GetString("device");
        if (id is null)
        {
            (code, message) = (ErrorCodes.BadRequest, "'device' (a string) is missing");
            return false;
        }
        if (!registry.TryGet(id, out device))
        {
            (code, message) = (ErrorCodes.UnknownDevice, $"no device '{ApiText.Truncate(id)}'");
            return false;
        }
        (code, message) = ("", "");
        return true;
    }
}
