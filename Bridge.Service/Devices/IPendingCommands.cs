using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>The commands waiting for one device's confirmation, as the registry sees them: each report
/// is shown to them under the device's lock, what became ready is released after the lock is left,
/// and they all fail when the device goes offline or is removed. The command path implements it.</summary>
public interface IPendingCommands
{
    /// <summary>Called under the device's lock after a report was applied to its state.</summary>
    void ObserveLocked(ReadOnlySpan<KeyValuePair<string, StateValue>> report);

    /// <summary>Called under the device's lock when the device went offline or was removed.</summary>
    void DeviceGoneLocked();

    /// <summary>Called outside the device's lock after either of the above: answers the commands
    /// that became ready, in the order they were sent.</summary>
    void Release();
}
