using Bridge.Service.Devices;
using Bridge.Service.Discovery;

namespace Bridge.Service.Adoption;

/// <summary>A credential an <c>adopt</c> request carries for a device that needs one (CONTRACT.md): a
/// Tuya local <c>key</c>, a miIO <c>token</c>, a Tasmota's web <c>password</c>. Its value never reaches a log: <see cref="ToString"/>
/// hides it; the adopter keeps it in the secret store once the device accepted it.</summary>
public sealed record AdoptCredential(string Kind, string Value)
{
    public const string Key = "key";
    public const string Token = "token";
    public const string Password = "password";

    public override string ToString() => $"{Kind} (hidden)";
}

/// <summary>One adopt request as an adopter sees it: the device as last discovered (null when it is no
/// longer announced), the device as the bridge already knows it (null when it does not), and the
/// credential the request carried, if any. At least one of <see cref="Found"/> and <see cref="Known"/> is set.</summary>
public sealed record AdoptRequest(string Id, DiscoveredDevice? Found, Device? Known, AdoptCredential? Credential)
{
    public string Protocol => Found?.Protocol ?? Known!.Protocol;
}

/// <summary>A protocol module's adopter: makes a discovered device of its protocol controllable (op
/// <c>adopt</c>), one per protocol, picked by the device's protocol. Adopting again (a new credential
/// after the device was re-paired in its vendor app) replaces what the bridge keeps.</summary>
public interface IDeviceAdopter
{
    string Protocol { get; }

    /// <summary>The device once it is controllable. Throws <see cref="AdoptFailedException"/> with the API
    /// error code and, in its message, the state the device was left in; cancellation passes through.</summary>
    Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct);
}
