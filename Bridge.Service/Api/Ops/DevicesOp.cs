using Bridge.Protocols.Api;
using Bridge.Service.Devices;
using Bridge.Service.Security;

namespace Bridge.Service.Api.Ops;

/// <summary><c>devices</c> → every known device with its capabilities and last confirmed state.</summary>
public sealed class DevicesOp(DeviceRegistry registry) : IApiOp
{
    public string Name => "devices";
    public TokenScope Scope => TokenScope.Control;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        var views = registry.All().Select(d => d.View()).ToArray();
        return session.ReplyOkAsync(request.Id, views, static (w, views) =>
        {
            w.WriteStartArray("devices");
            foreach (var v in views) ApiWriter.Device(w, v);
            w.WriteEndArray();
        });
    }
}
