using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Yeelight;
using Bridge.Service.Api;
using Bridge.Service.Drivers.Yeelight;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Discovery;

/// <summary>Finds Yeelight bulbs: sends the search to 239.255.255.250:1982 on each served interface
/// that carries multicast (and by unicast to <c>Discovery:Yeelight:SearchTargets</c>), at start and
/// then 1 s, 2 s, 4 s ... up to <c>MaxSearchInterval</c> apart; listens for the bulbs' unicast
/// answers and for their NOTIFY adverts on 1982. Sleeps between searches, never polls.</summary>
public sealed class YeelightDiscovery(
    IOptions<DiscoveryOptions> discoveryOptions,
    IOptions<YeelightOptions> options,
    IOptions<ApiOptions> api,
    YeelightBulbs bulbs,
    TimeProvider time,
    ILogger<YeelightDiscovery> log) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<IPEndPoint> _targets = [];
    private readonly Lock _sync = new();
    private TaskCompletionSource _searchNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<LanInterface> _multicast = [];
    private Socket? _searchSocket;
    private Socket? _advertSocket;
    private int _disposed;

    /// <summary>False when discovery or Yeelight is switched off.</summary>
    public bool IsSearching { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!discoveryOptions.Value.Enabled || !o.Enabled) return Task.CompletedTask;
        lock (_sync) _targets.AddRange(o.ParsedSearchTargets());
        _multicast = LanInterface.Select(discoveryOptions.Value, api.Value.Bind, []).Where(i => i.Multicast).ToArray();
        _searchSocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _searchSocket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        _searchSocket.Bind(new IPEndPoint(IPAddress.Any, 0));
        _loops.Add(Task.Run(() => ReceiveLoopAsync(_searchSocket, _stop.Token), CancellationToken.None));
        if (_multicast.Count > 0) OpenAdvertListener();
        log.LogInformation("Yeelight search on {Where}", string.Join(", ", _multicast.Select(i => i.Name).Concat(Targets().Select(t => t.ToString())).DefaultIfEmpty("nothing yet")));
        _loops.Add(Task.Run(() => SearchLoopAsync(_stop.Token), CancellationToken.None));
        IsSearching = true;
        return Task.CompletedTask;
    }

    /// <summary>Adds a unicast search target and searches at once (the demo's bulbs on loopback).</summary>
    public void AddSearchTarget(IPEndPoint target)
    {
        lock (_sync)
        {
            if (!_targets.Contains(target)) _targets.Add(target);
            _searchNow.TrySetResult();
        }
    }

    private IPEndPoint[] Targets()
    {
        lock (_sync) return _targets.ToArray();
    }

    private void OpenAdvertListener()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Shared with other Yeelight software on this host, as the bulbs' port is fixed.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, options.Value.SearchPort));
            foreach (var i in _multicast)
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(YeelightConstants.SearchGroup, i.Index));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            log.LogWarning("Yeelight adverts not heard: cannot listen on UDP {Port} ({Error}); searching still finds bulbs", options.Value.SearchPort, e.SocketErrorCode);
            return;
        }
        _advertSocket = socket;
        _loops.Add(Task.Run(() => ReceiveLoopAsync(socket, _stop.Token), CancellationToken.None));
    }

    private async Task SearchLoopAsync(CancellationToken ct)
    {
        var interval = options.Value.SearchInterval;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                TaskCompletionSource now;
                lock (_sync) now = _searchNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await SearchAsync(ct).ConfigureAwait(false);
                var woken = await Task.WhenAny(now.Task, Task.Delay(interval, time, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                if (woken == now.Task) interval = options.Value.SearchInterval;
                else interval = interval * 2 > options.Value.MaxSearchInterval ? options.Value.MaxSearchInterval : interval * 2;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SearchAsync(CancellationToken ct)
    {
        var socket = _searchSocket!;
        var request = YeelightSearch.Request.ToArray();
        foreach (var i in _multicast)
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(i.Index));
            await SendAsync(socket, request, new IPEndPoint(YeelightConstants.SearchGroup, options.Value.SearchPort), ct).ConfigureAwait(false);
        }
        foreach (var target in Targets()) await SendAsync(socket, request, target, ct).ConfigureAwait(false);
    }

    private async Task SendAsync(Socket socket, byte[] datagram, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await socket.SendToAsync(datagram, SocketFlags.None, to, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            log.LogDebug("Yeelight search to {Target} failed: {Error}", to, e.SocketErrorCode);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[YeelightConstants.MaxDatagramBytes + 1];
        while (!ct.IsCancellationRequested)
        {
            int length;
            try
            {
                var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
                length = r.ReceivedBytes;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.LogDebug("Yeelight receive failed: {Error}", e.SocketErrorCode);
                continue;
            }
            // Other clients' searches arrive on 1982 too; those and foreign datagrams are not adverts.
            if (!YeelightSearch.TryParseAdvert(buffer.AsSpan(0, length), out var advert, out _)) continue;
            try
            {
                bulbs.Seen(advert!);
            }
            catch (Exception e)
            {
                log.LogError(e, "Yeelight: handling the advert of {Id} failed", advert!.Id);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _searchSocket?.Dispose();
        _advertSocket?.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _searchSocket?.Dispose();
        _advertSocket?.Dispose();
    }
}
