using Bridge.Protocols.Improv;

namespace Bridge.Service.Provisioning;

/// <summary>Improv requests over an <see cref="ImprovLine"/>: detection (state asked every second,
/// as the reference client does for a device still booting) and RPCs answered by results, each
/// bounded by a timeout on the injected clock. Remembers the last state the device reported.</summary>
public sealed class ImprovClient(ImprovLine line, TimeProvider time)
{
    private static readonly TimeSpan Resend = TimeSpan.FromSeconds(1);

    public ImprovLine Line => line;

    public ImprovState? State { get; private set; }

    /// <summary>True once the device reported its state within <paramref name="timeout"/>.</summary>
    public async Task<bool> DetectAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        while (!linked.IsCancellationRequested)
        {
            // Sent on the caller's token: the deadline ends the waiting, never a write half-way.
            await line.SendAsync(w => ImprovRpc.WriteCommand(w, ImprovCommand.RequestCurrentState, []), ct).ConfigureAwait(false);
            using var nap = new CancellationTokenSource(Resend, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, nap.Token);
            while (await line.NextAsync(wait.Token).ConfigureAwait(false) is { } packet)
            {
                if (packet.State is not { } state) continue;
                State = state;
                return true;
            }
        }
        return false;
    }

    /// <summary>The strings of the result to <paramref name="command"/>; null when the device
    /// reported an error or did not answer in time (optional requests).</summary>
    public async Task<string[]?> TryRequestAsync(ImprovCommand command, byte[] payload, TimeSpan timeout, CancellationToken ct)
    {
        var results = await CollectAsync(command, payload, timeout, multiple: false, ct).ConfigureAwait(false);
        return results is [var first, ..] ? first : null;
    }

    /// <summary>One result per network until the empty one that ends the list; null on error or timeout.</summary>
    public async Task<List<string[]>?> ScanAsync(TimeSpan timeout, CancellationToken ct) =>
        await CollectAsync(ImprovCommand.RequestWifiNetworks, [], timeout, multiple: true, ct).ConfigureAwait(false);

    private async Task<List<string[]>?> CollectAsync(ImprovCommand command, byte[] payload, TimeSpan timeout, bool multiple, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        await line.SendAsync(w => ImprovRpc.WriteCommand(w, command, payload), ct).ConfigureAwait(false);
        var results = new List<string[]>();
        while (await line.NextAsync(linked.Token).ConfigureAwait(false) is { } packet)
        {
            if (packet.State is { } state) State = state;
            if (packet.Error is { } error && error != ImprovError.None) return null;
            if (packet.Type != ImprovPacketType.RpcResult || !ImprovRpc.TryParseResult(packet.Data, out var got, out var strings) || got != command) continue;
            if (!multiple) return [strings];
            if (strings.Length == 0) return results;
            results.Add(strings);
        }
        ct.ThrowIfCancellationRequested();
        return null;
    }
}
