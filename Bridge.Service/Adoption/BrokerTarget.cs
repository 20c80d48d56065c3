using System.Net;
using System.Net.Sockets;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Adoption;

/// <summary>The broker address a device is told to use (<c>host:port</c>, Shelly's <c>mqtt.server</c>): the
/// external broker's from <c>Mqtt:Url</c>; for the embedded one, its bind address when that is a specific
/// one, else the bridge's address on the interface the device was found on.</summary>
public static class BrokerTarget
{
    /// <summary>null when no address can be told (the device was not heard on a known interface).</summary>
    public static string? For(MqttOptions mqtt, int embeddedPort, DiscoveredDevice device)
    {
        if (!mqtt.Embedded)
        {
            var uri = new Uri(mqtt.Url!);
            return Join(uri.Host.Trim('[', ']'), uri.Port > 0 ? uri.Port : 1883);
        }
        var bind = IPAddress.Parse(mqtt.Bind);
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any)) return Join(bind.ToString(), embeddedPort);
        if (IPAddress.IsLoopback(device.Address)) return Join(IPAddress.Loopback.ToString(), embeddedPort);
        var own = device.Interface?.Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return own is null ? null : Join(own.ToString(), embeddedPort);
    }

    private static string Join(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
