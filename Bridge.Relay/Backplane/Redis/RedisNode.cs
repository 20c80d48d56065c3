using System.Security.Cryptography;
using Bridge.Relay.Settings;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>This relay node's identity among the nodes and its connection to Redis. Redis being away
/// is normal here, not exceptional: calls fail at once with <see cref="BackplaneUnavailableException"/>
/// (no queueing while disconnected), and StackExchange.Redis keeps reconnecting in the background.</summary>
public sealed class RedisNode : IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly BackplaneMetrics _metrics;
    private readonly ILogger<RedisNode> _log;
    private ConnectionMultiplexer? _redis;

    public RedisNode(IOptions<RelayOptions> options, BackplaneMetrics metrics, ILogger<RedisNode> log)
    {
        _metrics = metrics;
        _log = log;
        _configuration = Configure(options.Value.Redis!, NodeId);
        OwnershipTtl = options.Value.OwnershipTtl;
        metrics.RedisConfigured();
    }

    /// <summary>Random per process: a restarted node is a new node, so nothing of its former life is
    /// mistaken for its own.</summary>
    public string NodeId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>How long ownership and liveness keys live without a refresh.</summary>
    public TimeSpan OwnershipTtl { get; }

    public bool IsConnected => _redis?.IsConnected == true;

    /// <summary>Raised after Redis comes back (keys may be lost: the node re-asserts what it holds).</summary>
    public event Action? Restored;

    /// <summary>Raised when the connection to Redis breaks.</summary>
    public event Action? Failed;

    /// <summary>The relay's options on top of the user's connection string: never abort at start
    /// (keep retrying while serving same-node traffic), and fail fast rather than queue while
    /// disconnected, so a cross-node attempt gets an error instead of a hang.</summary>
    public static ConfigurationOptions Configure(string connectionString, string nodeId)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        configuration.ClientName ??= "devicebridge-relay-" + nodeId;
        return configuration;
    }

    /// <summary>Connects; returns after the first attempt even when Redis is not there yet.</summary>
    public async Task ConnectAsync()
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        redis.ConnectionFailed += (_, e) =>
        {
            _metrics.RedisConnection(redis.IsConnected);
            _log.LogWarning("Redis connection lost ({Failure}); cross-node traffic stops until it is back", e.FailureType);
            Failed?.Invoke();
        };
        redis.ConnectionRestored += (_, _) =>
        {
            _metrics.RedisConnection(redis.IsConnected);
            _log.LogInformation("Redis connection restored");
            Restored?.Invoke();
        };
        _redis = redis;
        _metrics.RedisConnection(redis.IsConnected);
        if (redis.IsConnected) _log.LogInformation("Relay node {NodeId} connected to Redis", NodeId);
        else _log.LogWarning("Relay node {NodeId}: Redis not reachable yet; serving bridges linked here and retrying", NodeId);
    }

    public IDatabase Database => Connected().GetDatabase();

    public ISubscriber Subscriber => Connected().GetSubscriber();

    /// <summary>The subscriber even while disconnected (subscriptions made then are restored on connect); null before start.</summary>
    public ISubscriber? SubscriberWhenStarted => _redis?.GetSubscriber();

    /// <summary>Runs a Redis call, turning Redis' own failures into <see cref="BackplaneUnavailableException"/>.</summary>
    public async Task<T> CallAsync<T>(Func<IDatabase, Task<T>> call)
    {
        try
        {
            return await call(Database).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new BackplaneUnavailableException("the relay cannot reach Redis: " + e.Message, e);
        }
    }

    public static bool IsRedisFailure(Exception e) => e is RedisException or RedisTimeoutException or TimeoutException or ObjectDisposedException;

    private ConnectionMultiplexer Connected() =>
        _redis is { IsConnected: true } redis ? redis : throw new BackplaneUnavailableException("the relay is not connected to Redis");

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync().ConfigureAwait(false);
    }
}
