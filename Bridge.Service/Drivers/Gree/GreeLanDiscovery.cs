using System.Net;
using Bridge.Protocols.Gree;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.Lan;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Gree;

/// <summary>Finding Gree units (PROTOCOLS.md §10.3): <c>{"t":"scan"}</c> broadcast to UDP 7000 (and sent
/// to each declared or configured unit by unicast); each unit answers the sender with a pack that
/// decrypts, with the V1 generic key on every firmware, to its <c>dev</c> description. Port 7000 is
/// shared with Tuya 3.5: a datagram that is not Gree JSON is left for the next module; Gree JSON that
/// does not decrypt or names no unit is dropped with one warning per sender a minute.</summary>
public sealed class GreeLanDiscovery(IOptions<GreeOptions> options, IOptions<StaticLanDevicesOptions> statics, GreeDevices devices, MalformedPayloadLog malformed) : IUdpDiscovery
{
    public string Protocol => GreeDevices.Protocol;
    public bool Enabled => options.Value.Enabled;
    /// <summary>Units answer the scan by unicast to the probe socket; they announce nothing by themselves.</summary>
    public IReadOnlyList<UdpListen> Listens => [];
    public IReadOnlyList<UdpProbe> Probes { get; } = [new(GreeEnvelope.Scan, IPAddress.Broadcast, options.Value.DevicePort)];

    public IReadOnlyList<IPEndPoint> Targets => _targets ??= options.Value.ParsedScanTargets().Concat(StaticTargets()).ToArray();
    private IReadOnlyList<IPEndPoint>? _targets;

    public TimeSpan FirstInterval => TimeSpan.FromSeconds(1);
    public TimeSpan MaxInterval => TimeSpan.FromMinutes(5);
    public int MaxDatagramBytes => GreeEnvelope.MaxDatagramBytes;

    public bool TryHandle(ReadOnlySpan<byte> datagram, IPEndPoint from, LanInterface? via)
    {
        var start = datagram.TrimStart(" \t\r\n"u8);
        if (start.Length == 0 || start[0] != (byte)'{') return false;
        if (!GreeEnvelope.TryParse(datagram, out var envelope, out var error))
        {
            malformed.Report("gree-udp " + from.Address, "Gree scan", error);
            return true;
        }
        if (envelope!.T == "scan") return true; // a scan (ours, or another app's), not an answer
        if (envelope.T != "pack" || envelope.Pack is null) return false;
        if (!GreeCipher.TryDecrypt(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, envelope.Pack, envelope.Tag, out var json)
            && !(envelope.Tag is not null && GreeCipher.TryDecrypt(GreeCipherVersion.V2, GreeCipher.GenericKeyV2, envelope.Pack, envelope.Tag, out json)))
        {
            malformed.Report("gree-udp " + from.Address, "Gree scan", "a pack that decrypts with neither generic key");
            return true;
        }
        if (!GreeMessage.TryParse(json, out var m, out error) || m!.T != "dev" || !GreeColumns.IsMac(m.Mac?.ToLowerInvariant()))
        {
            malformed.Report("gree-udp " + from.Address, "Gree scan", error is { Length: > 0 } ? error : "not a unit's description (no \"dev\" with a 12-digit mac)");
            return true;
        }
        var mac = m.Mac!.ToLowerInvariant();
        devices.Seen(new GreeDevices.Heard(mac, from, NameOf(m, mac), m.Version, m.Hid));
        return true;
    }

    private static string NameOf(GreeMessage m, string mac) =>
        m.Name is { Length: > 0 and <= 64 } name && !name.Any(char.IsControl) ? name : $"Gree AC {mac[^4..]}";

    private IEnumerable<IPEndPoint> StaticTargets()
    {
        foreach (var (_, d) in statics.Value.Of(GreeDevices.Protocol))
            if (IPAddress.TryParse(d.Address, out var a)) yield return new IPEndPoint(a, d.Port is > 0 and < 65536 ? d.Port.Value : options.Value.DevicePort);
    }
}
