using System.Threading.Channels;
using Bridge.Relay.Links;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>Keeps this node's part of Redis true: connects, subscribes to the node's inbox and to
/// revocations, and every third of <see cref="RedisNode.OwnershipTtl"/> refreshes the node's liveness
/// key and the ownership key of each bridge linked here (a node that dies stops refreshing, so its
/// keys expire and clients are routed to wherever its bridges reconnect). It also ends cross-node
/// sessions whose other end is gone. After Redis comes back (maybe empty after a restart) it
/// re-asserts every bridge key it knows and the revocations of its bridges.</summary>
internal sealed class BackplaneKeeper(RedisNode node, RedisBackplane backplane, NodeInbox inbox, LinkRegistry links, BridgeDirectory directory,
    RemoteClients clients, ProxiedSessions proxies, TimeProvider time, ILogger<BackplaneKeeper> log) : BackgroundService
{
    // Claims the key unless another node holds it (an empty key after a Redis restart is claimed).
    private const string RefreshIfMine =
        "local v = redis.call('GET', KEYS[1]) if (not v) or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _reassert = true;
    private bool _subscribed;

    /// <summary>Connects before the node starts listening, so its first bridges can register at once.</summary>
    public override async Task StartAsync(CancellationToken ct)
    {
        node.Restored += () =>
        {
            _reassert = true;
            Wake();
        };
        node.Failed += () =>
        {
            _reassert = true;
            backplane.CloseRemoteClients("the relay lost its backplane; reconnect");
            proxies.AbandonWhere(_ => true);
        };
        await node.ConnectAsync().ConfigureAwait(false);
        await TryTickAsync().ConfigureAwait(false);
        await base.StartAsync(ct).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var interval = node.OwnershipTtl / 3;
        while (!ct.IsCancellationRequested)
        {
            using (var due = new CancellationTokenSource(interval, time))
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(ct, due.Token))
            {
                try
                {
                    await _wake.Reader.ReadAsync(either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Due: the regular refresh.
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            await TryTickAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A node that stops cleanly says so at once: the others drop its clients' sessions on
    /// their next refresh instead of waiting for the key to expire.</summary>
    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct).ConfigureAwait(false);
        try
        {
            await node.CallAsync(db => db.KeyDeleteAsync(RedisNames.NodeAlive(node.NodeId))).ConfigureAwait(false);
        }
        catch (BackplaneUnavailableException)
        {
            // It expires by itself.
        }
    }

    private async Task TryTickAsync()
    {
        try
        {
            await TickAsync().ConfigureAwait(false);
        }
        catch (BackplaneUnavailableException e)
        {
            log.LogDebug("Backplane refresh skipped: {Reason}", e.Message);
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task TickAsync()
    {
        if (!node.IsConnected) return;
        await SubscribeAsync().ConfigureAwait(false);
        if (_reassert)
        {
            _reassert = false;
            await ReassertAsync().ConfigureAwait(false);
        }
        var ttl = (long)node.OwnershipTtl.TotalMilliseconds;
        await node.CallAsync(db => db.StringSetAsync(RedisNames.NodeAlive(node.NodeId), "1", node.OwnershipTtl)).ConfigureAwait(false);
        foreach (var (bridgeId, held) in await ForEachAsync(links.BridgeIds,
                     id => node.CallAsync(db => db.ScriptEvaluateAsync(RefreshIfMine, [RedisNames.Owner(id)], [node.NodeId, ttl]))).ConfigureAwait(false))
        {
            if ((long)held != 0) continue;
            // Another node holds it now: this link is stale (half-open); the bridge lives over there.
            log.LogInformation("Bridge {BridgeId} is linked to another node now; closing its stale link here", bridgeId);
            links.Find(bridgeId)?.Close();
        }
        foreach (var ((bridgeId, owner), current) in await ForEachAsync(clients.Routes,
                     r => node.CallAsync(db => db.StringGetAsync(RedisNames.Owner(r.BridgeId)))).ConfigureAwait(false))
        {
            if (current == owner) continue;
            clients.CloseWhere(e => e.BridgeId == bridgeId && e.Owner == owner, RemoteBridgeRoute.Moved, "the bridge's relay node went away; reconnect");
        }
        foreach (var (origin, alive) in await ForEachAsync(proxies.OriginNodes,
                     n => node.CallAsync(db => db.KeyExistsAsync(RedisNames.NodeAlive(n)))).ConfigureAwait(false))
        {
            if (!alive) proxies.AbandonWhere(p => p.OriginNode == origin);
        }
    }

    /// <summary>Subscriptions made once are restored by StackExchange.Redis after every reconnect.</summary>
    private async Task SubscribeAsync()
    {
        if (_subscribed) return;
        try
        {
            var messages = await node.Subscriber.SubscribeAsync(RedisNames.Inbox(node.NodeId)).ConfigureAwait(false);
            // OnMessage handles one message at a time, in order; the handlers never wait.
            messages.OnMessage(m => inbox.Handle((byte[])m.Message!));
            var revocations = await node.Subscriber.SubscribeAsync(RedisNames.Revocations).ConfigureAwait(false);
            revocations.OnMessage(m => inbox.HandleRevocations(m.Message!));
            _subscribed = true;
        }
        catch (Exception e) when (RedisNode.IsRedisFailure(e))
        {
            throw new BackplaneUnavailableException("subscribing failed: " + e.Message, e);
        }
    }

    private async Task ReassertAsync()
    {
        foreach (var ((bridgeId, mine), stored) in await ForEachAsync(directory.PublicKeys, k => backplane.RegisterAsync(k.BridgeId, k.PublicKey)).ConfigureAwait(false))
        {
            if (stored.AsSpan().SequenceEqual(mine)) continue;
            // Accepted while Redis was away, but another node registered another key first: that one keeps the id.
            log.LogWarning("Bridge id {BridgeId} belongs to another key; closing the link that claimed it here", bridgeId);
            directory.Forget(bridgeId);
            links.Find(bridgeId)?.Close();
        }
        await ForEachAsync(links.BridgeIds, async id =>
        {
            await backplane.PublishRevokedAsync(id).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>Starts every call at once (pipelined on the one connection), then collects the answers.</summary>
    private static async Task<List<(T Item, TResult Result)>> ForEachAsync<T, TResult>(IEnumerable<T> items, Func<T, Task<TResult>> call)
    {
        var started = items.Select(item => (item, call(item))).ToList();
        await Task.WhenAll(started.Select(s => s.Item2)).ConfigureAwait(false);
        return started.Select(s => (s.item, s.Item2.Result)).ToList();
    }
}
