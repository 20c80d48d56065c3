using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers;

/// <summary>A requested change of one capability, already validated against the profile.</summary>
public readonly record struct Change(Capability Capability, StateValue Value);

/// <summary>Turns capability changes into a protocol's messages. One per protocol, picked by
/// the profile's <c>driver</c> name.</summary>
public interface IDeviceDriver
{
    string Name { get; }

    /// <summary>Checks a profile's mapping for this driver at start; adds every problem found.</summary>
    void ValidateProfile(DeviceProfile profile, List<string> problems);

    /// <summary>How several commands to this device may be in flight at once. A driver that says
    /// <see cref="CommandConcurrency.Correlated"/> implements <see cref="ICorrelatedDriver"/>.</summary>
    CommandConcurrency Concurrency(Device device) => CommandConcurrency.Serial;

    /// <summary>The value the device will report for a requested one (e.g. kelvin after a round
    /// trip through mireds). The command completes when the device reports this value.</summary>
    StateValue Expected(Device device, Capability capability, StateValue requested);

    /// <summary>Sends the changes. Throws <see cref="CommandFailedException"/> when the
    /// device can't be reached. The device's own report confirms the command.</summary>
    ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct);
}

/// <summary>A driver whose protocol's replies carry the request's id: it confirms each command from
/// the device's own reply to it, not from reports that anyone's command may have caused.</summary>
public interface ICorrelatedDriver : IDeviceDriver
{
    /// <summary>Sends the changes and returns the values the device's replies to exactly these
    /// requests confirmed. Throws <see cref="CommandFailedException"/> on an error reply or no
    /// reply; <paramref name="ct"/> ends when the command's deadline passes or its client leaves.</summary>
    ValueTask<IReadOnlyList<KeyValuePair<string, StateValue>>> SendConfirmedAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct);
}
