using System.Buffers.Binary;
using System.Net;
using Bridge.Protocols.Miio;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Finding Xiaomi devices (PROTOCOLS.md §10.2): the miIO hello (<c>21310020</c> + 28 × FF) to
/// the broadcast address on UDP 54321 (and to declared targets), answered by each device with its id and
/// stamp. The answer's checksum field holds the token on unprovisioned devices: it is never read. A
/// datagram that is not miIO is left for the next module; a miIO one that is malformed is dropped with
/// one warning per sender a minute.</summary>
public sealed class MiioLanDiscovery(IOptions<MiioOptions> options, MiioDevices devices, MalformedPayloadLog malformed) : IUdpDiscovery
{
    public string Protocol => MiioDevices.Protocol;
    public bool Enabled => options.Value.Enabled;
    /// <summary>Devices only answer; nothing of theirs arrives unasked.</summary>
    public IReadOnlyList<UdpListen> Listens { get; } = [];
    public IReadOnlyList<UdpProbe> Probes { get; } = [new(MiioPacketCodec.Hello(), IPAddress.Broadcast, options.Value.Port)];
    public IReadOnlyList<IPEndPoint> Targets => options.Value.ParsedTargets();
    public TimeSpan FirstInterval => TimeSpan.FromSeconds(1);
    public TimeSpan MaxInterval => TimeSpan.FromMinutes(5);
    public int MaxDatagramBytes => MiioPacketCodec.MaxDatagramBytes;

    public bool TryHandle(ReadOnlySpan<byte> datagram, IPEndPoint from, LanInterface? via)
    {
        if (datagram.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(datagram) != 0x2131) return false;
        if (MiioPacketCodec.TryRead(datagram, [], out var answer, out var error) != MiioDecodeStatus.Hello)
        {
            malformed.Report("miio-udp " + from.Address, "miIO discovery", error.Length > 0 ? error : "not a hello answer");
            return true;
        }
        // Another client's hello (all FF), not a device's answer.
        if (answer.DeviceId == uint.MaxValue) return true;
        devices.Seen(answer.DeviceId, from);
        return true;
    }
}
