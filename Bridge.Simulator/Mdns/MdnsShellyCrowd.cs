using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Dns;

namespace Bridge.Simulator.Mdns;

/// <summary>A crowd of Shelly Gen2 devices as mDNS sees them (PROTOCOLS.md §3.5): each
/// announces <c>_shelly._tcp</c> with its device id as instance and host name, TXT <c>gen=2</c>,
/// port 80. They share one socket on 5353 (ReuseAddress, joined on loopback), announce once at
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

    private MdnsShellyCrowd(Socket socket, IEnumerable<string> ids, IPAddress address, int port)
    {
        _socket = socket;
        _groupEndPoint = new IPEndPoint(Group, port);
        foreach (var id in ids) _devices[id] = Records(id, address);
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IReadOnlyCollection<string> Ids => _devices.Keys.ToArray();

    /// <summary>Starts <paramref name="count"/> devices named <c>shellyplus1-&lt;mac&gt;</c> and announces them.</summary>
    public static async Task<MdnsShellyCrowd> StartAsync(int count, int port = 5353)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, IPAddress.Loopback));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        var ids = Enumerable.Range(1, count).Select(i => $"shellyplus1-a8032a{i:x6}");
        var crowd = new MdnsShellyCrowd(socket, ids, IPAddress.Loopback, port);
        await crowd.SendAsync(crowd._devices.Values, ttl: null).ConfigureAwait(false);
        return crowd;
    }

    private static DnsRecord[] Records(string id, IPAddress address)
    {
        var instance = ServiceType.Prepend(id);
        var host = Local.Prepend(id);
        return
        [
            new DnsRecord(ServiceType, DnsType.Ptr, 4500, new PtrData(instance)),
            new DnsRecord(instance, DnsType.Srv, 120, new SrvData(0, 0, 80, host), CacheFlush: true),
            new DnsRecord(instance, DnsType.Txt, 4500, TxtData.FromPairs(("gen", "2"), ("app", "Plus1"), ("ver", "1.4.4")), CacheFlush: true),
            new DnsRecord(host, DnsType.A, 120, new AddressData(address), CacheFlush: true),
        ];
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
