using System.Net;
using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>Responder side of RFC 6762 §7.2: a query with TC set says more known answers follow, in
/// packets with no questions from the same source. It is held 400–500 ms (random), the continuations'
/// known answers are merged into it, and it is handed on complete — when a continuation without TC
/// arrives, or when the wait is over, whichever is first. Other queries are handed on at once.
/// Thread-safe; the wait runs on the injected clock.</summary>
/// <param name="complete">Called with each query ready to answer (TC cleared, all known answers
/// merged); on the caller's thread, or the timer's. Must not block.</param>
public sealed class MdnsKnownAnswerAssembler(TimeProvider time, Action<MdnsReceived> complete) : IDisposable
{
    /// <summary>Bounds on what one flood of TC packets can make us hold.</summary>
    private const int MaxPending = 256;
    private const int MaxKnownAnswers = 4096;

    private sealed class Pending(MdnsReceived first)
    {
        public MdnsReceived First = first;
        public readonly List<DnsRecord> Answers = [.. first.Message.Answers];
        public ITimer? Timer;
    }

    private readonly Dictionary<IPEndPoint, Pending> _pending = [];
    private readonly Lock _sync = new();

    /// <summary>Takes in one received query.</summary>
    public void Receive(MdnsReceived received)
    {
        var m = received.Message;
        if (m.IsResponse) return;
        var ready = new List<MdnsReceived>(2);
        lock (_sync)
        {
            _pending.TryGetValue(received.From, out var pending);
            if (m.Questions.Count == 0)
            {
                // A continuation; without a held query from this source there is nothing to answer.
                if (pending is null) return;
                foreach (var r in m.Answers)
                    if (pending.Answers.Count < MaxKnownAnswers) pending.Answers.Add(r);
                if (!m.IsTruncated) ready.Add(Release(received.From, pending));
            }
            else
            {
                // A packet with questions is a new query: the held one's known answers are all in.
                if (pending is not null) ready.Add(Release(received.From, pending));
                if (!m.IsTruncated || _pending.Count >= MaxPending) ready.Add(received with { Message = m with { Flags = Untruncated(m.Flags) } });
                else Hold(received);
            }
        }
        foreach (var r in ready) complete(r);
    }

    private void Hold(MdnsReceived received)
    {
        var pending = new Pending(received);
        _pending[received.From] = pending;
        var wait = TimeSpan.FromMilliseconds(Random.Shared.Next(400, 501));
        pending.Timer = time.CreateTimer(_ => Expire(received.From, pending), null, wait, Timeout.InfiniteTimeSpan);
    }

    private void Expire(IPEndPoint from, Pending pending)
    {
        MdnsReceived ready;
        lock (_sync)
        {
            // Already released by a continuation or a new query that raced the timer.
            if (!_pending.TryGetValue(from, out var current) || current != pending) return;
            ready = Release(from, pending);
        }
        complete(ready);
    }

    /// <summary>Removes a held query and gives it back whole. Called under the lock.</summary>
    private MdnsReceived Release(IPEndPoint from, Pending pending)
    {
        _pending.Remove(from);
        pending.Timer?.Dispose();
        var m = pending.First.Message;
        return pending.First with { Message = m with { Flags = Untruncated(m.Flags), Answers = pending.Answers.ToArray() } };
    }

    private static ushort Untruncated(ushort flags) => (ushort)(flags & ~DnsConstants.FlagTruncated);

    public void Dispose()
    {
        lock (_sync)
        {
            foreach (var p in _pending.Values) p.Timer?.Dispose();
            _pending.Clear();
        }
    }
}
