using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Dns;
using Bridge.Service.Api;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Discovery;

/// <summary>One mDNS message as received, with where it came from.</summary>
public sealed record MdnsReceived(DnsMessage Message, IPEndPoint From, LanInterface Interface)
{
    /// <summary>RFC 6762 §6.7: a query not from port 5353 is a legacy unicast query.</summary>
    public bool FromMdnsPort(int mdnsPort) => From.Port == mdnsPort;
}

/// <summary>The bridge's mDNS socket and receive loop, shared by the responder and the querier.
/// Opens only on served interfaces that carry multicast; where none does (a host's loopback
/// has no multicast) it logs once and stays closed, and the bridge runs without mDNS.</summary>
public sealed class MdnsEndpoint(IOptions<DiscoveryOptions> options, IOptions<ApiOptions> api, ILogger<MdnsEndpoint> log)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private MdnsSocket? _socket;
    private Task? _receiver;
    private int _disposed;

    public IReadOnlyList<LanInterface> Interfaces { get; private set; } = [];
    public bool IsOpen => _socket is not null;
    public int Port => options.Value.MdnsPort;

    /// <summary>Raised on the receive loop for every well-formed message (opcode and rcode 0) from
    /// a served interface. Handlers must not block.</summary>
    public event Action<MdnsReceived>? Received;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled) return Task.CompletedTask;
        var unknown = new List<string>();
        var served = LanInterface.Select(o, api.Value.Bind, unknown);
        if (unknown.Count > 0) log.LogWarning("Discovery: no such interface: {Interfaces}", string.Join(", ", unknown));
        var multicast = served.Where(i => i.Multicast).ToArray();
        if (multicast.Length == 0)
        {
            log.LogInformation("mDNS off: no served interface carries multicast ({Interfaces})",
                served.Count == 0 ? "none" : string.Join(", ", served.Select(i => i.Name)));
            return Task.CompletedTask;
        }
        try
        {
            _socket = MdnsSocket.Open(o.MdnsPort, multicast, log);
        }
        catch (SocketException e)
        {
            log.LogWarning("mDNS off: cannot listen on UDP {Port} ({Error})", o.MdnsPort, e.SocketErrorCode);
            return Task.CompletedTask;
        }
        Interfaces = multicast;
        log.LogInformation("mDNS on {Interfaces}", string.Join(", ", multicast.Select(i => i.Name)));
        _receiver = Task.Run(() => ReceiveLoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async ValueTask SendMulticastAsync(DnsMessage message, LanInterface via, CancellationToken ct)
    {
        if (_socket is { } s) await s.SendMulticastAsync(DnsWriter.Write(message), via.Index, ct).ConfigureAwait(false);
    }

    public async ValueTask SendUnicastAsync(byte[] packet, IPEndPoint to, CancellationToken ct)
    {
        if (_socket is { } s) await s.SendUnicastAsync(packet, to, ct).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[DnsConstants.MaxMessageLength];
        while (!ct.IsCancellationRequested)
        {
            Datagram? datagram;
            try
            {
                if (_socket is not { } socket) return;
                datagram = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.LogDebug("mDNS receive failed: {Error}", e.SocketErrorCode);
                continue;
            }
            if (datagram is not { } d) continue;
            var via = Interfaces.FirstOrDefault(i => i.Index == d.InterfaceIndex);
            if (via is null || !DnsReader.TryRead(d.Bytes, out var message, out _)) continue;
            if (message!.Opcode != 0 || message.Rcode != 0) continue;
            try
            {
                Received?.Invoke(new MdnsReceived(message, d.From, via));
            }
            catch (Exception e)
            {
                log.LogError(e, "mDNS: handling a message from {From} failed", d.From);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Cleared, not just disposed: the host may stop twice (once on SIGTERM, once when disposed),
        // and a late goodbye must find no socket rather than a disposed one.
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        if (_receiver is not null) await _receiver.ConfigureAwait(false);
    }

    public void Dispose()
    {
        // The host may dispose after StopAsync already ran; both paths are safe to repeat.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _socket?.Dispose();
    }
}
