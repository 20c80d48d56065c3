using System.Net;
using Bridge.Simulator.Mdns;

namespace Bridge.Simulator.Shelly;

/// <summary>How a Shelly starts in a home: on MQTT like any device (unless its MQTT is off), and with its
/// local RPC over HTTP on loopback when it serves one, as a real one serves it on port 80 from power-on.</summary>
public abstract partial class ShellyDevice
{
    private ShellyHttpRpc? _localRpc;

    /// <summary>How mDNS would announce its local RPC (id, address, port); null until started with one.</summary>
    public ShellyAnnouncement? LocalRpc =>
        _localRpc is { } rpc ? new ShellyAnnouncement(Id, rpc.EndPoint.Address, rpc.EndPoint.Port, App, Version, Generation) : null;

    public override async Task StartAsync(HomeNetwork network, CancellationToken ct = default)
    {
        await base.StartAsync(network, ct).ConfigureAwait(false);
        if (!ServesLocalRpc || _localRpc is not null) return;
        var rpc = await ShellyHttpRpc.StartAsync(this, IPAddress.Loopback, ct).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _localRpc, rpc, null) is not null)
        {
            await rpc.DisposeAsync().ConfigureAwait(false); // another start won
            return;
        }
        // Disposed while the endpoint was opening: whichever of this and DisposeCoreAsync takes it
        // back closes it, once.
        if (IsDisposed && Interlocked.CompareExchange(ref _localRpc, null, rpc) == rpc) await rpc.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The HTTP endpoint closes first, so no RPC arrives at a device that is going away.</summary>
    private protected override async ValueTask DisposeCoreAsync()
    {
        if (Interlocked.Exchange(ref _localRpc, null) is { } rpc) await rpc.DisposeAsync().ConfigureAwait(false);
    }
}
