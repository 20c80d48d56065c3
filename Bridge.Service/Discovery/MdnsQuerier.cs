using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Runtime;

namespace Bridge.Service.Discovery;

/// <summary>Continuous browsing (RFC 6762 §5.2) for the device service types: first query after
/// 20–120 ms, then 1 s, 2 s, 4 s ... up to an hour apart, with known answers listed (over several
/// packets when they don't fit in one); records
/// refreshed at 80 % of their TTL; each instance resolved through SRV, TXT and the host's A and
/// AAAA records, from the cache or by asking. Sleeps until the next thing is due, never polls.</summary>
public sealed class MdnsQuerier(MdnsEndpoint endpoint, DiscoveredDevices devices, MdnsMatchers matchers, TimeProvider time, ILogger<MdnsQuerier> log)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);
    /// <summary>The same question again no sooner than this (RFC 6762 §5.2's one second).</summary>
    private static readonly TimeSpan QuestionQuiet = TimeSpan.FromSeconds(1);
    /// <summary>How long our own multicast query may take to come back to us.</summary>
    private static readonly TimeSpan LoopbackWindow = TimeSpan.FromSeconds(2);

    private readonly MdnsCache _cache = new(time);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(DnsName, DnsType), DateTimeOffset> _asked = [];
    /// <summary>Our last queries, to tell them from others' when multicast loops them back.</summary>
    private readonly Queue<(DnsMessage Query, DateTimeOffset At)> _sent = new();
    /// <summary>Questions another host asked for us (RFC 6762 §7.3), and when.</summary>
    private readonly Dictionary<(DnsName, DnsType), DateTimeOffset> _askedByOthers = [];
    /// <summary>Where each host's address was last heard: the interface a device is reachable on.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DnsName, LanInterface> _hostInterface = new();
    private readonly Lock _sync = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public MdnsCache Cache => _cache;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!endpoint.IsOpen) return Task.CompletedTask;
        endpoint.Received += OnReceived;
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 121)), time, ct).ConfigureAwait(false);
            var browses = 0;
            var nextBrowse = time.GetUtcNow();
            while (!ct.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                // One bad round (a Changed handler that throws, say) is logged, not the end of browsing.
                try
                {
                    if (now >= nextBrowse)
                    {
                        nextBrowse = now + Backoff.Ceiling(browses++, FirstInterval, MaxInterval);
                        await BrowseAsync(ct).ConfigureAwait(false);
                    }
                    var expired = _cache.RemoveExpired();
                    foreach (var instance in MdnsInstances.Lost(expired, _cache, matchers.BrowsedTypes)) devices.Lost(instance);
                    foreach (var a in expired)
                        if (a.Type is DnsType.A or DnsType.Aaaa && MdnsInstances.Addresses(_cache, a.Name).Length == 0) _hostInterface.TryRemove(a.Name, out _);
                    // An address that expired may leave another in its place (a move): report what remains.
                    if (expired.Count > 0) ResolveAll();
                    await RefreshAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "mDNS: a browsing round failed; carrying on");
                }

                var wake = nextBrowse;
                if (_cache.NextDeadline() is { } deadline && deadline < wake) wake = deadline;
                var sleep = wake - time.GetUtcNow();
                if (sleep < TimeSpan.FromMilliseconds(50)) sleep = TimeSpan.FromMilliseconds(50);
                // Woken early when a goodbye arrives, so a device is dropped a second later, not at the next deadline.
                var wakeEarly = _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // The nap is cancelled when woken early: else every goodbye would leave a timer of up to an hour behind.
                using (var nap = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    await Task.WhenAny(wakeEarly.Task, Task.Delay(sleep, time, nap.Token)).ConfigureAwait(false);
                    await nap.CancelAsync().ConfigureAwait(false);
                }
                ct.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task BrowseAsync(CancellationToken ct)
    {
        var questions = matchers.BrowsedTypes.Select(t => new DnsQuestion(t, DnsType.Ptr)).Where(q => !AskedByOthers(q)).ToArray();
        if (questions.Length == 0) return;
        // QM even on the first query (RFC 6762 §5.4 suggests QU): 5353 is shared with other mDNS stacks
        // (ReuseAddress) and a unicast reply reaches only one socket there, not necessarily ours.
        var known = questions.SelectMany(q => _cache.KnownAnswers(q.Name, DnsType.Ptr)).ToArray();
        await SendAsync(new DnsMessage { Questions = questions, Answers = known }, ct).ConfigureAwait(false);
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        var due = _cache.DueForRefresh().Select(r => new DnsQuestion(r.Name, r.Type)).Distinct().Where(Ask).ToArray();
        if (due.Length > 0) await SendAsync(DnsMessage.Query(due), ct).ConfigureAwait(false);
    }

    private void OnReceived(MdnsReceived received)
    {
        var m = received.Message;
        if (!received.FromMdnsPort(endpoint.Port)) return;
        if (!m.IsResponse)
        {
            NoteDuplicateQuestions(m);
            return;
        }
        var goodbye = false;
        foreach (var r in m.Answers.Concat(m.Additionals))
        {
            var isNew = _cache.Add(r);
            goodbye |= r.Ttl == 0;
            // AAAA too: an IPv6-only device's records still arrive over our IPv4 socket, on this interface.
            // Only for hosts the cache holds (new, or known already): it is pruned as their addresses expire,
            // so a record the full cache refused must not leave an entry here that nothing would remove.
            if (r.Type is DnsType.A or DnsType.Aaaa && r.Ttl > 0 && (isNew || _hostInterface.ContainsKey(r.Name)))
                _hostInterface[r.Name] = received.Interface;
        }
        ResolveAll();
        if (goodbye) _wake.TrySetResult();
    }

    private void ResolveAll()
    {
        var missing = new List<DnsQuestion>();
        foreach (var type in matchers.BrowsedTypes)
            foreach (var ptr in _cache.Get(type, DnsType.Ptr))
                Resolve(type, ((PtrData)ptr.Data).Target, missing);
        var ask = missing.Distinct().Where(Ask).ToArray();
        if (ask.Length > 0) _ = SendAsync(DnsMessage.Query(ask), _stop.Token);
    }

    /// <summary>Reports the instance when SRV, TXT and an address are cached; else notes what to ask.</summary>
    private void Resolve(DnsName type, DnsName instance, List<DnsQuestion> missing)
    {
        if (MdnsInstances.TryResolve(_cache, instance, missing, out var srv, out var txt, out var host, out var addresses))
            devices.Found(type, instance, srv, txt, addresses, _hostInterface.GetValueOrDefault(host));
    }

    /// <summary>Another host's query that asks what we would, knowing at least what we know, counts as
    /// ours for a second (our own queries loop back too; counting them again is harmless).</summary>
    private void NoteDuplicateQuestions(DnsMessage query)
    {
        var duplicates = MdnsSuppression.DuplicateQuestions(query, q => _cache.KnownAnswers(q.Name, q.Type));
        if (duplicates.Count == 0) return;
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (_sent.Any(s => now - s.At < LoopbackWindow && MdnsSuppression.SameQuery(s.Query, query))) return;
            foreach (var q in duplicates)
                if (IsOurs(q)) _askedByOthers[(q.Name, q.Type)] = now;
            if (_askedByOthers.Count > 4096)
                foreach (var old in _askedByOthers.Where(p => now - p.Value > QuestionQuiet).Select(p => p.Key).ToArray()) _askedByOthers.Remove(old);
        }
    }

    /// <summary>Questions this querier asks: browsing its types, or resolving what it has cached.</summary>
    private bool IsOurs(DnsQuestion q) =>
        (q.Type == DnsType.Ptr && matchers.BrowsedTypes.Contains(q.Name)) || _cache.Get(q.Name, q.Type).Count > 0 || _asked.ContainsKey((q.Name, q.Type));

    private bool AskedByOthers(DnsQuestion q)
    {
        var now = time.GetUtcNow();
        lock (_sync) return _askedByOthers.TryGetValue((q.Name, q.Type), out var at) && now - at < QuestionQuiet;
    }

    private bool Ask(DnsQuestion q)
    {
        if (AskedByOthers(q)) return false;
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (_asked.TryGetValue((q.Name, q.Type), out var at) && now - at < QuestionQuiet) return false;
            _asked[(q.Name, q.Type)] = now;
            if (_asked.Count > 4096)
                foreach (var old in _asked.Where(p => now - p.Value > QuestionQuiet).Select(p => p.Key).ToArray()) _asked.Remove(old);
            return true;
        }
    }

    /// <summary>Multicasts a query on every interface, over several packets where its known answers
    /// exceed the interface's packet size (RFC 6762 §7.2).</summary>
    private async Task SendAsync(DnsMessage query, CancellationToken ct)
    {
        try
        {
            foreach (var via in endpoint.Interfaces)
            {
                foreach (var packet in MdnsQueryPackets.Split(query, via.MdnsMessageLimit))
                {
                    Sent(packet);
                    await endpoint.SendMulticastAsync(packet, via, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "mDNS: sending a query failed");
        }
    }

    /// <summary>Remembers a packet we sent, to recognise it when multicast loops it back.</summary>
    private void Sent(DnsMessage packet)
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            _sent.Enqueue((packet, now));
            while (_sent.Count > 32 || (_sent.TryPeek(out var oldest) && now - oldest.At > LoopbackWindow)) _sent.Dequeue();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        endpoint.Received -= OnReceived;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    public void Dispose() => _stop.Cancel();
}
