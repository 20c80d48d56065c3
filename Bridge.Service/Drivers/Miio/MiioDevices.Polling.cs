using System.Runtime.InteropServices;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Each adopted device's poll loop: Xiaomi devices never push to LAN clients, so changes made
/// with the remote or the Mi Home app are read every <see cref="MiioOptions.PollInterval"/> (sooner when
/// a silent device is heard again). A failed poll marks the device offline; a rejected token ends the
/// loop until the device is adopted again.</summary>
public sealed partial class MiioDevices
{
    private sealed class Link(MiioConnection connection, CancellationTokenSource stop)
    {
        public readonly MiioConnection Connection = connection;
        public readonly CancellationTokenSource Stop = stop;
        public Task Loop = Task.CompletedTask;
        public volatile MiioFailure Failure;
        private TaskCompletionSource _kick = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Kicked => Volatile.Read(ref _kick).Task;

        public void Kick() => Volatile.Read(ref _kick).TrySetResult();

        public void Rearm() => Volatile.Write(ref _kick, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task StopAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            Connection.Dispose();
        }
    }

    private void StartLink(string id, MiioConnection connection, bool pollAtOnce)
    {
        var link = new Link(connection, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        if (_links.TryGetValue(id, out var old) && _links.TryUpdate(id, link, old)) _ = old.StopAsync();
        else if (!_links.TryAdd(id, link))
        {
            connection.Dispose();
            return;
        }
        link.Loop = Task.Run(() => PollLoopAsync(id, link, pollAtOnce, link.Stop.Token));
    }

    /// <summary>The device refused our token (seen by a poll or a command): offline with the reason, and
    /// no more requests until it is adopted again with the new token.</summary>
    public void TokenRejected(string id, MiioConnection connection)
    {
        if (!_links.TryGetValue(id, out var link) || link.Connection != connection) return;
        link.Failure = MiioFailure.TokenRejected;
        link.Stop.Cancel();
        if (registry.TryGet(id, out var device)) registry.SetOnline(device, false, MiioFailures.TokenRejectedMessage);
    }

    private async Task PollLoopAsync(string id, Link link, bool pollAtOnce, CancellationToken ct)
    {
        var interval = options.Value.PollInterval;
        // Spread the first polls of many devices over one interval rather than all at once.
        var wait = pollAtOnce ? TimeSpan.Zero : interval * (0.5 + Random.Shared.NextDouble() / 2);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (wait > TimeSpan.Zero) await Task.WhenAny(link.Kicked, Task.Delay(wait, time, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                link.Rearm();
                wait = interval;
                await PollOnceAsync(id, link, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            if (link.Failure == MiioFailure.TokenRejected) return;
        }
    }

    private async Task PollOnceAsync(string id, Link link, CancellationToken ct)
    {
        if (!registry.TryGet(id, out var device)) return;
        try
        {
            var values = await ReadStateAsync(link.Connection, MiioMapping.For(device.Profile), ct).ConfigureAwait(false);
            link.Failure = MiioFailure.None;
            registry.ApplyReport(device, CollectionsMarshal.AsSpan(values));
            registry.SetOnline(device, true);
        }
        catch (MiioCallException e) when (e.Why == MiioFailure.TokenRejected)
        {
            TokenRejected(id, link.Connection);
        }
        catch (MiioCallException e)
        {
            link.Failure = e.Why;
            registry.SetOnline(device, false, e.Why == MiioFailure.None ? e.Message : e.Why.Message());
        }
    }
}
