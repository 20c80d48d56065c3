using System.Net.WebSockets;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Relay;

/// <summary>Keeps the bridge's outbound connection to the relay: dial, prove the identity, serve the
/// multiplexed sessions (<see cref="RelayConnection"/>), and redial with jittered back-off when it
/// drops. It runs beside the local API and shares nothing with it that could block: a missing relay
/// only means this loop waits.</summary>
public sealed class RelayLink : BackgroundService
{
    private readonly RelayOptions _options;
    private readonly BridgeIdentity _identity;
    private readonly RelayConnectionFactory _connections;
    private readonly TimeProvider _time;
    private readonly ILogger<RelayLink> _log;
    private readonly Lock _gate = new();
    private readonly List<Action> _onConnected = [];
    private bool _connected;
    private int _connects;

    public RelayLink(IOptions<RelayOptions> options, BridgeIdentity identity, RelayConnectionFactory connections, TimeProvider time, ILogger<RelayLink> log)
    {
        _options = options.Value;
        _identity = identity;
        _connections = connections;
        _time = time;
        _log = log;
    }

    /// <summary>Successful connections so far.</summary>
    public int Connects => Volatile.Read(ref _connects);

    public bool IsConnected
    {
        get { lock (_gate) return _connected; }
    }

    /// <summary>Calls <paramref name="action"/> on every (re)connection, and at once if connected now.</summary>
    public void OnConnected(Action action)
    {
        bool now;
        lock (_gate)
        {
            _onConnected.Add(action);
            now = _connected;
        }
        if (now) action();
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var attempt = 0;
        var random = new Random();
        var relays = _options.LinkUris;
        var dials = 0;
        while (!ct.IsCancellationRequested)
        {
            var relay = relays[dials++ % relays.Count];
            try
            {
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = _options.HeartbeatInterval;
                using (var dial = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    dial.CancelAfter(TimeSpan.FromSeconds(15));
                    await socket.ConnectAsync(relay, dial.Token).ConfigureAwait(false);
                    await RelayHandshakeClient.RunAsync(socket, _identity, dial.Token).ConfigureAwait(false);
                }
                attempt = 0;
                var connection = _connections.Create(socket);
                Connected(relay);
                try
                {
                    await connection.RunAsync(ct).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate) _connected = false;
                }
                if (!ct.IsCancellationRequested) _log.LogWarning("Relay link lost; redialling");
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is WebSocketException or OperationCanceledException or IOException
                                          or HttpRequestException or RelayRefusedException or InvalidOperationException)
            {
                // Once per outage, not once per attempt.
                if (attempt == 0) _log.LogWarning("Relay {Url} not reachable: {Reason}; retrying with back-off", relay, e.Message);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var delay = Bridge.Runtime.Backoff.Delay(attempt++, _options.ReconnectMin, _options.ReconnectMax, random);
            try
            {
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Connected(Uri relay)
    {
        Action[] callbacks;
        lock (_gate)
        {
            _connected = true;
            _connects++;
            callbacks = _onConnected.ToArray();
        }
        _log.LogInformation("Linked to relay {Url} as bridge {BridgeId}", relay, _identity.Id);
        foreach (var callback in callbacks) callback();
    }
}
