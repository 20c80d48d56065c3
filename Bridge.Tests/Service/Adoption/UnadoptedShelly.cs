using Bridge.Service.Drivers.Shelly;
using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Bridge.Simulator.Shelly;

namespace Bridge.Tests.Service.Adoption;

/// <summary>A simulated Shelly Plus Plug S fresh out of the box (MQTT off) with its local RPC on a
/// loopback port, and how mDNS would have reported it to the bridge.</summary>
public sealed class UnadoptedShelly : IAsyncDisposable
{
    private UnadoptedShelly(ShellyPlug device, ShellyHttpRpc rpc)
    {
        Device = device;
        Rpc = rpc;
    }

    public ShellyPlug Device { get; }
    public ShellyHttpRpc Rpc { get; }
    public string Id => Device.Id;

    public static async Task<UnadoptedShelly> StartAsync(string id)
    {
        var device = new ShellyPlug(id, "Desk plug");
        device.DisableMqtt();
        return new UnadoptedShelly(device, await ShellyHttpRpc.StartAsync(device));
    }

    /// <summary>What the querier hands on once it resolved the device's <c>_shelly._tcp</c> instance.</summary>
    public void AnnounceTo(DiscoveredDevices discovered) =>
        discovered.Found(ShellyMdnsMatcher.ServiceType, ShellyMdnsMatcher.ServiceType.Prepend(Id),
            new SrvData(0, 0, (ushort)Rpc.EndPoint.Port, DnsName.Parse("local").Prepend(Id)),
            TxtData.FromPairs(("gen", "2"), ("app", Device.App)), [IPAddress.Loopback]);

    public async ValueTask DisposeAsync()
    {
        await Device.DisposeAsync();
        await Rpc.DisposeAsync();
    }
}
