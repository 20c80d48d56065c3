using Bridge.Protocols.Dns;
using Bridge.Service.Security;

namespace Bridge.Service.Discovery;

/// <summary>Announces the bridge over mDNS (RFC 6762 §8): probe its unique names three times,
/// rename on conflict, announce twice a second apart, then answer queries until shutdown, when
/// it says goodbye (TTL 0). Starts once the API listens, because the SRV record carries its port.</summary>
public sealed class MdnsResponder(MdnsEndpoint endpoint, BridgeIdentity identity, ApiAddress api, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<MdnsResponder> log) : IHostedService, IDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AnnounceInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MulticastQuiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeDefenceQuiet = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private int _stopped;
    private readonly TaskCompletionSource<BridgeAdvertisement> _announced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MulticastLimiter _limiter = new(time);
    private MdnsKnownAnswerAssembler? _knownAnswers;
    private readonly Lock _sync = new();
    private BridgeAdvertisement? _ad;
    private bool _probing;
    private bool _lostTieBreak;
    private TaskCompletionSource _conflict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _runner;

    /// <summary>Completes with the names in use once the first announcement went out.</summary>
    public Task<BridgeAdvertisement> Announced => _announced.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!endpoint.IsOpen) return Task.CompletedTask;
        _knownAnswers = new MdnsKnownAnswerAssembler(time, AnswerQuery);
        endpoint.Received += OnReceived;
        lifetime.ApplicationStarted.Register(() => _runner = Task.Run(() => RunAsync(_stop.Token)));
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            var ad = new BridgeAdvertisement(identity.Id, api.Port);
            var throttle = new ProbeThrottle(time);
            while (!ct.IsCancellationRequested)
            {
                var conflict = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_sync) (_ad, _probing, _conflict) = (ad, true, conflict);
                await Task.Delay(throttle.NextDelay(), time, ct).ConfigureAwait(false);
                if (!await ProbeAsync(ad, conflict.Task, ct).ConfigureAwait(false))
                {
                    bool tie;
                    lock (_sync) (tie, _lostTieBreak) = (_lostTieBreak, false);
                    if (tie)
                    {
                        log.LogInformation("mDNS: another host is probing for {Instance} too; probing again in a second", ad.Instance);
                        await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
                        continue;
                    }
                    throttle.Conflict();
                    var next = ad.Renamed();
                    log.LogWarning("mDNS: {Instance} is taken on the network; trying {Next}", ad.Instance, next.Instance);
                    ad = next;
                    continue;
                }
                lock (_sync) _probing = false;
                log.LogInformation("mDNS: announcing {Instance} (host {Host}, port {Port})", ad.Instance, ad.Host, ad.Port);
                await AnnounceAsync(ad, ct).ConfigureAwait(false);
                await Task.Delay(AnnounceInterval, time, ct).ConfigureAwait(false);
                await AnnounceAsync(ad, ct).ConfigureAwait(false);
                _announced.TrySetResult(ad);
                // Until someone else claims our names: then re-probe under a new name (RFC 6762 §9).
                await conflict.Task.WaitAsync(ct).ConfigureAwait(false);
                log.LogWarning("mDNS: another host answered for {Instance}; renaming", ad.Instance);
                ad = ad.Renamed();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Three probes 250 ms apart, then 250 ms of quiet: true when nobody objected.</summary>
    private async Task<bool> ProbeAsync(BridgeAdvertisement ad, Task conflict, CancellationToken ct)
    {
        for (var i = 0; i < 3; i++)
        {
            foreach (var via in endpoint.Interfaces)
            {
                var probe = new DnsMessage
                {
                    Questions = [new DnsQuestion(ad.Instance, DnsType.Any, UnicastResponse: true), new DnsQuestion(ad.Host, DnsType.Any, UnicastResponse: true)],
                    Authorities = ad.Unique(via.Addresses),
                };
                await endpoint.SendMulticastAsync(probe, via, ct).ConfigureAwait(false);
            }
            var waited = await Task.WhenAny(conflict, Task.Delay(ProbeInterval, time, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (waited == conflict) return false;
        }
        return true;
    }

    private async Task AnnounceAsync(BridgeAdvertisement ad, CancellationToken ct, uint? ttl = null)
    {
        foreach (var via in endpoint.Interfaces)
        {
            var records = ad.Records(via.Addresses);
            if (ttl is { } t) records = records.Select(r => r.WithTtl(t)).ToArray();
            else _limiter.Sent(via, records);
            await endpoint.SendMulticastAsync(DnsMessage.Response(records), via, ct).ConfigureAwait(false);
        }
    }

    private void OnReceived(MdnsReceived received)
    {
        BridgeAdvertisement? ad;
        bool probing;
        TaskCompletionSource conflict;
        lock (_sync) (ad, probing, conflict) = (_ad, _probing, _conflict);
        if (ad is null) return;
        var m = received.Message;
        if (m.IsResponse)
        {
            // RFC 6762 §6: responses not from port 5353 are ignored.
            if (!received.FromMdnsPort(endpoint.Port)) return;
            var ours = endpoint.Interfaces.SelectMany(i => ad.Records(i.Addresses)).ToArray();
            if (MdnsAnswerer.Conflicts(m, ad, ours)) conflict.TrySetResult();
            // Another responder just sent the same shared answer (the service-type enumeration PTR
            // of a second bridge): count it as ours, so a pending delayed answer is not repeated.
            _limiter.Sent(received.Interface, MdnsSuppression.AnsweredByOthers(m, ad.Records(received.Interface.Addresses)));
            return;
        }
        if (probing)
        {
            // Someone else probing for our names at the same time: the lexicographically
            // earlier proposal backs off for a second and probes again (RFC 6762 §8.2).
            var theirs = m.Authorities.Where(r => ad.OwnsName(r.Name)).ToArray();
            if (theirs.Length == 0) return;
            var ours = ad.Unique(received.Interface.Addresses).Where(r => theirs.Any(t => t.Name == r.Name));
            if (MdnsAnswerer.LosesTieBreak(ours, theirs))
            {
                lock (_sync) _lostTieBreak = true;
                conflict.TrySetResult();
            }
            return;
        }
        // Known answers may come in several packets (TC): answered once they are all in.
        _knownAnswers?.Receive(received);
    }

    /// <summary>Answers a query whose known answers are complete. Also called on a timer thread (a held
    /// TC query), where an exception would end the process: none may escape.</summary>
    private void AnswerQuery(MdnsReceived received)
    {
        try
        {
            BridgeAdvertisement? ad;
            bool probing;
            lock (_sync) (ad, probing) = (_ad, _probing);
            if (ad is null || probing) return;
            var reply = MdnsAnswerer.Answer(received.Message, ad.Records(received.Interface.Addresses));
            if (reply is null) return;
            _ = ReplyAsync(received, reply, _stop.Token);
        }
        catch (Exception e)
        {
            log.LogError(e, "mDNS: answering {From} failed", received.From);
        }
    }

    private async Task ReplyAsync(MdnsReceived received, MdnsReply reply, CancellationToken ct)
    {
        try
        {
            var m = received.Message;
            if (!received.FromMdnsPort(endpoint.Port))
            {
                // Legacy unicast: straight back to the asker, its id and questions echoed.
                var legacy = new DnsMessage
                {
                    Id = m.Id,
                    Flags = DnsConstants.FlagResponse | DnsConstants.FlagAuthoritative,
                    Questions = m.Questions,
                    Answers = MdnsAnswerer.ForLegacy(reply.Answers),
                    Additionals = MdnsAnswerer.ForLegacy(reply.Additionals),
                };
                await endpoint.SendUnicastAsync(DnsWriter.Write(legacy, compressSrvTarget: false), received.From, ct).ConfigureAwait(false);
                return;
            }
            var isProbe = m.Authorities.Count > 0;
            // Probes for our names are defended at once; shared answers wait 20–120 ms (RFC 6762 §6).
            // A query with TC already waited for the rest of its known answers (MdnsKnownAnswerAssembler).
            var delay = isProbe ? TimeSpan.Zero
                : reply.Shared ? TimeSpan.FromMilliseconds(Random.Shared.Next(20, 121))
                : TimeSpan.Zero;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, time, ct).ConfigureAwait(false);
            // QU questions are answered by multicast too: with several mDNS stacks sharing 5353 on
            // a host, a unicast reply reaches only one of them (RFC 6762 §15.1).
            var answers = _limiter.Filter(received.Interface, reply.Answers, isProbe ? ProbeDefenceQuiet : MulticastQuiet);
            if (answers.Count == 0) return;
            _limiter.Sent(received.Interface, answers);
            await endpoint.SendMulticastAsync(DnsMessage.Response(answers, reply.Additionals), received.Interface, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "mDNS: answering {From} failed", received.From);
        }
    }

    /// <summary>Goodbye (TTL 0) so browsers drop the bridge at once rather than after the TTL.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop twice (on SIGTERM, then when disposed): one goodbye is enough.
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        endpoint.Received -= OnReceived;
        _knownAnswers?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_runner is not null) await _runner.ConfigureAwait(false);
        if (_announced.Task.IsCompletedSuccessfully)
        {
            BridgeAdvertisement? ad;
            lock (_sync) ad = _ad;
            if (ad is not null) await AnnounceAsync(ad, cancellationToken, ttl: 0).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _knownAnswers?.Dispose();
    }
}
