using System.Net;
using Bridge.Service.Discovery;

namespace Bridge.Service.Adoption;

/// <summary>A protocol whose devices can be adopted by address alone, for devices that announce nothing the
/// bridge can hear (a Tasmota built without mDNS, a device on another subnet, one just given its Wi-Fi): it
/// asks what answers at the address and names the device as discovery would have.</summary>
public interface IAddressIdentifier
{
    string Protocol { get; }

    /// <summary>The port the protocol's devices answer on when the address names none.</summary>
    int DefaultPort { get; }

    /// <summary>The device at <paramref name="at"/> (source <c>address</c>). Throws <see cref="AdoptFailedException"/>
    /// when nothing of this protocol answers there, saying what did.</summary>
    Task<DiscoveredDevice> IdentifyAsync(IPEndPoint at, AdoptCredential? credential, CancellationToken ct);
}
