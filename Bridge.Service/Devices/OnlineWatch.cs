namespace Bridge.Service.Devices;

/// <summary>Waits for the first device that comes online and matches, from the moment it is made. Made
/// before the step that brings a device online (an adopter's settings, a reboot), so a device quicker
/// than the code that waits for it is not missed; disposed to stop listening.</summary>
public sealed class OnlineWatch : IDisposable
{
    private readonly DeviceRegistry _registry;
    private readonly Func<Device, bool> _match;
    private readonly TaskCompletionSource<Device> _online = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OnlineWatch(DeviceRegistry registry, Func<Device, bool> match)
    {
        _registry = registry;
        _match = match;
        registry.AvailabilityChanged += OnAvailability;
    }

    /// <summary>Completes with the first matching device that came online since the watch was made.</summary>
    public Task<Device> Online => _online.Task;

    private void OnAvailability(Device device, bool online)
    {
        if (online && _match(device)) _online.TrySetResult(device);
    }

    public void Dispose() => _registry.AvailabilityChanged -= OnAvailability;
}
