using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Devices;
using Bridge.Service.Security;

namespace Bridge.Service.Household;

/// <summary><c>update</c>: the household's name and room for a device. They are kept by device id
/// in the household file and win over the name the device announces, also when it is found again.</summary>
public sealed class UpdateOp(DeviceRegistry registry, HouseholdStore store, EventHub hub) : IApiOp
{
    public string Name => "update";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!RequestDevice.TryResolve(registry, request, out var device, out var code, out var message))
            return session.ReplyErrorAsync(request.Id, code, message);
        var hasName = request.TryGet("name", out _);
        var hasRoom = request.TryGet("room", out _);
        if (!hasName && !hasRoom) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "give 'name', 'room' or both");
        if (!HouseholdText.TryName(request.Root, "name", out var name, out var error) ||
            !HouseholdText.TryName(request.Root, "room", out var room, out error))
            return HouseholdReplies.Error(session, request, error!);
        if (hasName && name is null) return session.ReplyErrorAsync(request.Id, ErrorCodes.BadRequest, "'name' cannot be null; a device always has a name");

        DeviceLabel label = null!;
        error = store.Change(s =>
        {
            var old = s.Labels.GetValueOrDefault(device.Id);
            label = new DeviceLabel(hasName ? name : old?.Name, hasRoom ? room : old?.Room);
            var labels = label is { Name: null, Room: null } ? s.Labels.Remove(device.Id) : s.Labels.SetItem(device.Id, label);
            return (s with { Labels = labels }, null);
        });
        if (error is not null) return HouseholdReplies.Error(session, request, error);
        registry.Relabel(device.Id, label.Name ?? device.Name, label.Room);
        var view = device.View();
        hub.Publish(w => HouseholdWriter.DeviceChangedEvent(w, view));
        return session.ReplyDeviceAsync(request.Id, view);
    }
}

/// <summary><c>remove</c>: forgets a device, its name and room. A device that announces itself
/// again comes back as new, under the name it announces (the contract's promise), so its broker
/// account stays: deleting it would lock the device out of the embedded broker for good.</summary>
public sealed class RemoveOp(DeviceRegistry registry, HouseholdStore store) : IApiOp
{
    public string Name => "remove";
    public TokenScope Scope => TokenScope.Install;

    public ValueTask HandleAsync(ApiSession session, ApiRequest request)
    {
        if (!RequestDevice.TryResolve(registry, request, out var device, out var code, out var message))
            return session.ReplyErrorAsync(request.Id, code, message);
        var error = store.Change(s => s.Labels.ContainsKey(device.Id) ? (s with { Labels = s.Labels.Remove(device.Id) }, null) : (null, null));
        if (error is not null) return HouseholdReplies.Error(session, request, error);
        // The registry tells subscribers (device_removed) and fails a command still waiting on it.
        registry.Remove(device.Id);
        return session.ReplyOkAsync(request.Id);
    }
}

