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

    /// <summary>The value the device will report for a requested one (e.g. kelvin after a round
    /// trip through mireds). The command completes when the device reports this value.</summary>
    StateValue Expected(Device device, Capability capability, StateValue requested);

    /// <summary>Sends the changes. Throws <see cref="Commands.CommandFailedException"/> when the
    /// device can't be reached.</summary>
    ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct);
}
