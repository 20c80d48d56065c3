using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Bridge.Simulator.Tasmota;

namespace Bridge.Tests.Service.Adoption;

/// <summary>A simulated Tasmota plug on the Wi-Fi but on no broker (<see cref="FreshTasmota"/>), and how mDNS would
/// have reported it to the bridge: <c>_http._tcp</c> under its host name, the only thing Tasmota announces.</summary>
public static class UnadoptedTasmota
{
    public static async Task<FreshTasmota> StartAsync(string mac, string? webPassword = null)
    {
        var tasmota = await FreshTasmota.StartAsync(mac, webPassword);
        tasmota.Device.BacklogDelay = TimeSpan.FromMilliseconds(20);
        return tasmota;
    }

    /// <summary>What the querier hands on once it resolved the device's <c>_http._tcp</c> instance; the id it is
    /// listed under (its host name, lower-cased).</summary>
    public static string AnnounceTo(this FreshTasmota tasmota, DiscoveredDevices discovered)
    {
        discovered.Found(MdnsServiceTypes.Http, MdnsServiceTypes.Http.Prepend(tasmota.Hostname),
            new SrvData(0, 0, (ushort)tasmota.EndPoint.Port, DnsName.Parse("local").Prepend(tasmota.Hostname)),
            TxtData.FromPairs(), [IPAddress.Loopback]);
        return tasmota.Hostname.ToLowerInvariant();
    }
}
