using System.Net;
using System.Net.Sockets;
using Bridge.Service.Api;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Discovery;

/// <summary>Answers the UDP beacon for clients that cannot browse mDNS (iOS WeChat): a
/// <c>discover</c> datagram, broadcast or unicast to <c>Discovery:BeaconPort</c>, gets the
/// bridge's id, name and WebSocket URL back by unicast. Only served interfaces are answered.</summary>
public sealed class UdpBeacon(IOptions<DiscoveryOptions> options, IOptions<ApiOptions> api, BridgeIdentity identity, ApiAddress apiAddress,
    TimeProvider time, ILogger<UdpBeacon> log) : IHostedService, IDisposable
{
    /// <summary>Replies per second at most: the beacon must not become a traffic reflector.</summary>
    private const int MaxRepliesPerSecond = 50;

    private readonly CancellationTokenSource _stop = new();
    private Socket? _socket;
    private Task? _loop;
    private IReadOnlyList<LanInterface> _interfaces = [];
    private long _windowStart;
    private int _repliesInWindow;
    private int _disposed;

    /// <summary>The bound port (<c>Discovery:BeaconPort=0</c> picks one); 0 when the beacon is off.</summary>
    public int Port { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled) return Task.CompletedTask;
        _interfaces = LanInterface.Select(o, api.Value.Bind, []);
        if (_interfaces.Count == 0)
        {
            log.LogInformation("Beacon off: no interface to serve");
            return Task.CompletedTask;
        }
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Bound to any address so broadcasts arrive; replies only on served interfaces.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, o.BeaconPort));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            log.LogWarning("Beacon off: cannot listen on UDP {Port} ({Error})", o.BeaconPort, e.SocketErrorCode);
            return Task.CompletedTask;
        }
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        log.LogInformation("Beacon on UDP {Port} ({Interfaces})", Port, string.Join(", ", _interfaces.Select(i => i.Name)));
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var buffer = new byte[BeaconMessages.MaxRequestBytes + 1];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await _socket!.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.LogDebug("Beacon receive failed: {Error}", e.SocketErrorCode);
                continue;
            }
            var via = _interfaces.FirstOrDefault(i => i.Index == received.PacketInformation.Interface);
            if (via is null || !BeaconMessages.TryParseRequest(buffer.AsSpan(0, received.ReceivedBytes), out var requestId) || !Allowed()) continue;
            int apiPort;
            try
            {
                apiPort = apiAddress.Port;
            }
            catch (InvalidOperationException)
            {
                continue; // the API is not listening yet; the client will ask again
            }
            // The address the client reached us on, unless it was a broadcast: then the interface's own.
            var to = received.PacketInformation.Address;
            var host = via.Addresses.Contains(to) ? to : via.Addresses[0];
            var reply = BeaconMessages.Reply(requestId, identity.Id, $"DeviceBridge-{identity.Id}",
                $"ws://{host}:{apiPort}{ApiOptions.Path}", apiPort, ApiOptions.Path);
            try
            {
                await _socket!.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                log.LogDebug("Beacon reply to {Client} failed: {Error}", received.RemoteEndPoint, e.SocketErrorCode);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private bool Allowed()
    {
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
        {
            _windowStart = now;
            _repliesInWindow = 0;
        }
        return ++_repliesInWindow <= MaxRepliesPerSecond;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _socket?.Dispose();
    }
}
