using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Dns;

namespace Bridge.Simulator.Mdns;

/// <summary>One simulated Shelly as mDNS shows it: id (instance and host name), address, the port of
/// its local RPC (80 on a real device), and the TXT values Gen2+ devices publish.</summary>
public sealed record ShellyAnnouncement(string Id, IPAddress Address, int Port = 80, string App = "Plus1", string Version = "1.4.4", int Generation = 2);

/// <summary>A crowd of Shelly Gen2 devices as mDNS sees them (PROTOCOLS.md §3.5): each
/// announces <c>_shelly._tcp</c> with its device id as instance and host name, TXT <c>gen</c>,
/// <c>app</c>, <c>ver</c>, and the port of its local RPC. They share one socket on 5353 (ReuseAddress, joined on loopback), announce once at
/// start, answer browse and resolve queries, and say goodbye when stopped. Loopback only: meant
/// for the test network namespace, where loopback carries multicast.</summary>
public sealed class MdnsShellyCrowd : IAsyncDisposable
{
    private static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");
    private static readonly DnsName ServiceType = DnsName.Parse("_shelly._tcp.local");
    private static readonly DnsName Local = DnsName.Parse("local");
    /// <summary>Devices per response packet: keeps packets well under 9000 bytes.</summary>
    private const int PerPacket = 20;

    private readonly Socket _socket;
    private readonly ConcurrentDictionary<string, DnsRecord[]> _devices = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly IPEndPoint _groupEndPoint;

    private MdnsShellyCrowd(Socket socket, IEnumerable<ShellyAnnouncement> devices, int port)
    {
        _socket = socket;
        _groupEndPoint = new IPEndPoint(Group, port);
        foreach (var d in devices) _devices[d.Id] = Records(d);
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IReadOnlyCollection<string> Ids => _devices.Keys.ToArray();

    /// <summary>Starts <paramref name="count"/> devices named <c>shellyplus1-&lt;mac&gt;</c> and announces them.</summary>
    public static Task<MdnsShellyCrowd> StartAsync(int count, int port = 5353) =>
        StartAsync(Enumerable.Range(1, count).Select(i => new ShellyAnnouncement($"shellyplus1-a8032a{i:x6}", IPAddress.Loopback)), port);

    /// <summary>Starts announcing the given devices (addresses must be loopback ones).</summary>
    public static async Task<MdnsShellyCrowd> StartAsync(IEnumerable<ShellyAnnouncement> devices, int port = 5353)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, IPAddress.Loopback));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        var crowd = new MdnsShellyCrowd(socket, devices, port);
        await crowd.SendAsync(crowd._devices.Values, ttl: null).ConfigureAwait(false);
        return crowd;
    }

    private static DnsRecord[] Records(ShellyAnnouncement d)
    {
        if (!IPAddress.IsLoopback(d.Address)) throw new ArgumentException($"Simulated devices live on loopback only, not {d.Address}.", nameof(d));
        var instance = ServiceType.Prepend(d.Id);
        var host = Local.Prepend(d.Id);
        var txt = TxtData.FromPairs(("gen", d.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("app", d.App), ("ver", d.Version));
        return
        [
            new DnsRecord(ServiceType, DnsType.Ptr, 4500, new PtrData(instance)),
            new DnsRecord(instance, DnsType.Srv, 120, new SrvData(0, 0, (ushort)d.Port, host), CacheFlush: true),
            new DnsRecord(instance, DnsType.Txt, 4500, txt, CacheFlush: true),
            new DnsRecord(host, DnsType.A, 120, new AddressData(d.Address), CacheFlush: true),
        ];
    }

    /// <summary>A device got a new address (DHCP): it announces its records again, the A record with
    /// the cache-flush bit so others drop the old address.</summary>
    public async Task MoveAsync(ShellyAnnouncement moved)
    {
        var records = Records(moved);
        if (!_devices.ContainsKey(moved.Id)) throw new KeyNotFoundException($"No announced device '{moved.Id}'.");
        _devices[moved.Id] = records;
        await SendAsync([records], ttl: null).ConfigureAwait(false);
    }

    /// <summary>One device leaves: its goodbye (TTL 0) goes out and it stops answering.</summary>
    public async Task LeaveAsync(string id)
    {
        if (!_devices.TryRemove(id, out var records)) return;
        await SendAsync([records], ttl: 0).ConfigureAwait(false);
    }

    private async Task SendAsync(IEnumerable<DnsRecord[]> devices, uint? ttl)
    {
        foreach (var chunk in devices.Chunk(PerPacket))
        {
            var answers = chunk.SelectMany(r => r).Select(r => ttl is { } t ? r.WithTtl(t) : r).ToArray();
            await _socket.SendToAsync(DnsWriter.Write(DnsMessage.Response(answers)), SocketFlags.None, _groupEndPoint).ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[9000];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            if (!DnsReader.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var query, out _) || query!.IsResponse) continue;
            var answering = new List<DnsRecord[]>();
            foreach (var q in query.Questions)
            {
                foreach (var records in _devices.Values.ToArray())
                {
                    var match = q.Type is DnsType.Ptr && q.Name == ServiceType
                        ? !query.Answers.Any(k => k.SameRecord(records[0]) && k.Ttl >= records[0].Ttl / 2)
                        : records.Any(r => r.Name == q.Name && (q.Type == DnsType.Any || q.Type == r.Type));
                    if (match && !answering.Contains(records)) answering.Add(records);
                }
            }
            try
            {
                if (answering.Count > 0) await SendAsync(answering, ttl: null).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(_devices.Values.ToArray(), ttl: 0).ConfigureAwait(false);
        }
        catch (SocketException)
        {
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
