using System.Threading.Channels;
using Bridge.Relay.Settings;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>Everything this node sends to other nodes goes through one bounded queue and one pump,
/// so frames leave in the order they were queued (per session order holds end to end: one
/// connection publishes, Redis keeps order per channel, each node handles its inbox in order). The
/// pump pipelines a batch and then checks each result: a frame Redis refused, or that no node
/// listened for, is reported lost to whoever queued it, which closes that one session.</summary>
public sealed class NodePublisher : BackgroundService
{
    private const int Batch = 256;

    private readonly record struct Outgoing(RedisChannel To, byte[] Message, Action? Lost);

    private readonly RedisNode _node;
    private readonly BackplaneMetrics _metrics;
    private readonly Channel<Outgoing> _queue;

    public NodePublisher(RedisNode node, BackplaneMetrics metrics, IOptions<RelayOptions> options)
    {
        _node = node;
        _metrics = metrics;
        // Wait when full, but only for writers that may wait (clients sending to a bridge); the
        // bridge's side uses TryPublish and closes the session instead of holding up its link.
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.Value.BackplaneQueue) { SingleReader = true });
    }

    public ValueTask PublishAsync(RedisChannel to, byte[] message, Action? lost, CancellationToken ct) =>
        _queue.Writer.WriteAsync(new Outgoing(to, message, lost), ct);

    /// <summary>False when the queue is full.</summary>
    public bool TryPublish(RedisChannel to, byte[] message, Action? lost) => _queue.Writer.TryWrite(new Outgoing(to, message, lost));

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var batch = new List<Outgoing>(Batch);
        var sent = new List<Task<long>>(Batch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            batch.Clear();
            sent.Clear();
            while (batch.Count < Batch && reader.TryRead(out var item)) batch.Add(item);
            ISubscriber? subscriber = _node.IsConnected ? _node.SubscriberWhenStarted : null;
            foreach (var item in batch) sent.Add(subscriber is null ? Task.FromResult(-1L) : Publish(subscriber, item));
            for (var i = 0; i < batch.Count; i++)
            {
                long listeners;
                try
                {
                    listeners = await sent[i].ConfigureAwait(false);
                }
                catch (Exception e) when (RedisNode.IsRedisFailure(e))
                {
                    listeners = -1;
                }
                if (listeners > 0)
                {
                    _metrics.Published();
                    continue;
                }
                _metrics.Lost();
                batch[i].Lost?.Invoke();
            }
        }
    }

    private static Task<long> Publish(ISubscriber subscriber, Outgoing item)
    {
        try
        {
            return subscriber.PublishAsync(item.To, item.Message);
        }
        catch (Exception e) when (RedisNode.IsRedisFailure(e))
        {
            return Task.FromException<long>(e);
        }
    }
}
