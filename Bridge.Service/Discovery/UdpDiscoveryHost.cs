using System.Net;
using System.Net.Sockets;
using Bridge.Runtime;
using Bridge.Service.Api;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Discovery;

/// <summary>Runs every module's UDP search (<see cref="IUdpDiscovery"/>): one socket per listened port,
/// shared by the modules that listen there and bound with address reuse; one probe socket per module,
/// whose answers go to that module only; probes at start and then at doubling intervals, or at once
/// when a target is added. Only served interfaces (<c>Discovery:Interfaces</c>, else where the API
/// listens) are probed, so a loopback-bound bridge never sends onto a real network.</summary>
public sealed class UdpDiscoveryHost(
    IEnumerable<IUdpDiscovery> discoveries,
    IOptions<DiscoveryOptions> options,
    IOptions<ApiOptions> api,
    TimeProvider time,
    ILogger<UdpDiscoveryHost> log) : IHostedService, IDisposable
{
    private sealed class Search(IUdpDiscovery discovery)
    {
        public readonly IUdpDiscovery Discovery = discovery;
        public readonly List<IPEndPoint> Targets = [.. discovery.Targets];
        public TaskCompletionSource Now = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Socket? Socket;
    }

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<Socket> _sockets = [];
    private readonly Dictionary<string, Search> _searches = discoveries.ToDictionary(d => d.Protocol, d => new Search(d), StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private IReadOnlyList<LanInterface> _served = [];
    private int _disposed;

    /// <summary>False when discovery or this protocol's search is switched off, or nothing registered it.</summary>
    public bool IsSearching(string protocol)
    {
        lock (_sync) return _searches.TryGetValue(protocol, out var s) && s.Socket is not null;
    }

    /// <summary>Adds a unicast target for <paramref name="protocol"/>'s probes and probes at once (or at
    /// start, when called before).</summary>
    public void AddTarget(string protocol, IPEndPoint target)
    {
        lock (_sync)
        {
            if (!_searches.TryGetValue(protocol, out var s)) return;
            if (!s.Targets.Contains(target)) s.Targets.Add(target);
            s.Now.TrySetResult();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return Task.CompletedTask;
        var enabled = _searches.Values.Select(s => s.Discovery).Where(d => d.Enabled).ToArray();
        if (enabled.Length == 0) return Task.CompletedTask;
        _served = LanInterface.Select(options.Value, api.Value.Bind, []);
        foreach (var d in enabled)
        {
            var search = _searches[d.Protocol];
            var socket = ProbeSocket();
            lock (_sync) search.Socket = socket;
            _loops.Add(Task.Run(() => ReceiveLoopAsync(socket, [d], _stop.Token), CancellationToken.None));
            _loops.Add(Task.Run(() => SearchLoopAsync(search, socket, _stop.Token), CancellationToken.None));
        }
        foreach (var port in enabled.SelectMany(d => d.Listens).GroupBy(l => l.Port))
            OpenListener(port.Key, port.Select(l => l.Group).OfType<IPAddress>().Distinct().ToArray(),
                enabled.Where(d => d.Listens.Any(l => l.Port == port.Key)).ToArray());
        log.LogInformation("UDP search for {Protocols} on {Where}", string.Join(", ", enabled.Select(d => d.Protocol)),
            string.Join(", ", _served.Select(i => i.Name).DefaultIfEmpty("unicast targets only")));
        return Task.CompletedTask;
    }

    private Socket ProbeSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        lock (_sync) _sockets.Add(socket);
        return socket;
    }

    private void OpenListener(int port, IPAddress[] groups, IUdpDiscovery[] owners)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            foreach (var group in groups)
                foreach (var i in _served.Where(i => i.Multicast))
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, i.Index));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            log.LogWarning("{Protocols} announcements not heard: cannot listen on UDP {Port} ({Error}); searching still finds devices",
                string.Join(", ", owners.Select(o => o.Protocol)), port, e.SocketErrorCode);
            return;
        }
        lock (_sync) _sockets.Add(socket);
        _loops.Add(Task.Run(() => ReceiveLoopAsync(socket, owners, _stop.Token), CancellationToken.None));
    }

    private async Task SearchLoopAsync(Search search, Socket socket, CancellationToken ct)
    {
        var d = search.Discovery;
        var waits = 0; // since start or since a new target; each wait is twice the last, up to MaxInterval
        try
        {
            while (!ct.IsCancellationRequested)
            {
                TaskCompletionSource now;
                IPEndPoint[] targets;
                lock (_sync)
                {
                    now = search.Now = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    targets = search.Targets.ToArray();
                }
                await ProbeAsync(socket, d, targets, ct).ConfigureAwait(false);
                var interval = Backoff.Ceiling(waits, d.FirstInterval, d.MaxInterval);
                var woken = await Task.WhenAny(now.Task, Task.Delay(interval, time, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                // A new target restarts the schedule: its device is probably just being set up.
                waits = woken == now.Task ? 0 : waits + 1;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task ProbeAsync(Socket socket, IUdpDiscovery d, IPEndPoint[] targets, CancellationToken ct)
    {
        foreach (var probe in d.Probes)
        {
            if (IsMulticast(probe.Destination))
            {
                foreach (var i in _served.Where(i => i.Multicast))
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(i.Index));
                    await SendAsync(socket, d, probe.Datagram, new IPEndPoint(probe.Destination, probe.Port), ct).ConfigureAwait(false);
                }
            }
            else
            {
                foreach (var broadcast in _served.SelectMany(i => i.Broadcasts))
                    await SendAsync(socket, d, probe.Datagram, new IPEndPoint(broadcast, probe.Port), ct).ConfigureAwait(false);
            }
            foreach (var target in targets) await SendAsync(socket, d, probe.Datagram, target, ct).ConfigureAwait(false);
        }
    }

    private static bool IsMulticast(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork && (a.GetAddressBytes()[0] & 0xF0) == 0xE0;

    private async Task SendAsync(Socket socket, IUdpDiscovery d, ReadOnlyMemory<byte> datagram, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await socket.SendToAsync(datagram, SocketFlags.None, to, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            log.LogDebug("{Protocol} search to {Target} failed: {Error}", d.Protocol, to, e.SocketErrorCode);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, IUdpDiscovery[] owners, CancellationToken ct)
    {
        var buffer = new byte[owners.Max(o => o.MaxDatagramBytes) + 1];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult r;
            try
            {
                r = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.LogDebug("UDP search receive failed: {Error}", e.SocketErrorCode);
                continue;
            }
            var from = (IPEndPoint)r.RemoteEndPoint;
            var via = _served.FirstOrDefault(i => i.Index == r.PacketInformation.Interface);
            foreach (var owner in owners)
            {
                // A datagram longer than the protocol's own is someone else's.
                if (r.ReceivedBytes > owner.MaxDatagramBytes) continue;
                try
                {
                    if (owner.TryHandle(buffer.AsSpan(0, r.ReceivedBytes), from, via)) break;
                }
                catch (Exception e)
                {
                    log.LogError(e, "{Protocol}: handling a datagram from {From} failed", owner.Protocol, from);
                }
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        DisposeSockets();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private void DisposeSockets()
    {
        lock (_sync)
        {
            foreach (var s in _sockets) s.Dispose();
            _sockets.Clear();
            foreach (var s in _searches.Values) s.Socket = null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        DisposeSockets();
    }
}
