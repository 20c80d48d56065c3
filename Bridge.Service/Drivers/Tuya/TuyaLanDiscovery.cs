using System.Net;
using Bridge.Protocols.Tuya;
using Bridge.Service.Api;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>Hearing Tuya devices (PROTOCOLS.md §10.1): their broadcasts on 6666 (3.1, plaintext) and
/// 6667 (3.3+, encrypted), and the REQ_DEVINFO probe that newer 3.5 devices answer, sent to
/// broadcast:7000 and answered on 7000. The ports are shared (Gree uses 7000 too): a datagram that is
/// not a Tuya frame is left for the next module; a Tuya frame that fails its check is dropped with
/// one warning per sender a minute.</summary>
public sealed class TuyaLanDiscovery(IOptions<TuyaOptions> options, IOptions<DiscoveryOptions> discovery, IOptions<ApiOptions> api,
    TuyaDevices devices, MalformedPayloadLog malformed) : IUdpDiscovery
{
    public string Protocol => TuyaDevices.Protocol;
    public bool Enabled => options.Value.Enabled;
    public IReadOnlyList<UdpListen> Listens { get; } = [new(options.Value.PlainPort), new(options.Value.EncryptedPort), new(options.Value.DeviceInfoPort)];

    public IReadOnlyList<UdpProbe> Probes => _probes ??=
        [new(TuyaDiscovery.WriteDeviceInfoRequest(ReplyAddress()), IPAddress.Broadcast, options.Value.DeviceInfoPort)];
    private IReadOnlyList<UdpProbe>? _probes;

    public IReadOnlyList<IPEndPoint> Targets => options.Value.ParsedDeviceInfoTargets();
    public TimeSpan FirstInterval => TimeSpan.FromSeconds(1);
    public TimeSpan MaxInterval => TimeSpan.FromMinutes(5);
    public int MaxDatagramBytes => 2048;

    public bool TryHandle(ReadOnlySpan<byte> datagram, IPEndPoint from, LanInterface? via)
    {
        if (datagram.Length < 4 || datagram[0] != 0 || datagram[1] != 0 || datagram[2] is not (0x55 or 0x66)) return false;
        if (TuyaDiscovery.IsDeviceInfoRequest(datagram)) return true; // our own probe (or another app's)
        if (!TuyaDiscovery.TryParse(datagram, out var announcement, out var error))
        {
            malformed.Report("tuya-udp " + from.Address, "Tuya discovery", error);
            return true;
        }
        devices.Seen(announcement!, options.Value.DevicePort);
        return true;
    }

    /// <summary>The address the 3.5 devices should answer to: the first served interface's.</summary>
    private IPAddress ReplyAddress()
    {
        var served = LanInterface.Select(discovery.Value, api.Value.Bind, []);
        return served.SelectMany(i => i.Addresses).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? IPAddress.Loopback;
    }
}
