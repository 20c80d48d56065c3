namespace Bridge.Service.Devices;

/// <summary>What the household calls a device and where it stands, set through the API. These win
/// over the name a device announces, so the registry asks here whenever a device is added,
/// restored or rediscovered.</summary>
public interface IDeviceLabels
{
    bool TryGet(string deviceId, out DeviceLabel label);
}

/// <summary>The household's name for a device (null: keep the device's own) and its room (null: none).</summary>
public sealed record DeviceLabel(string? Name, string? Room);
