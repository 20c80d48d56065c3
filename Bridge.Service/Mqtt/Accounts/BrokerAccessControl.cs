using Bridge.Protocols.Mqtt;
using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Bridge.Service.Mqtt.Accounts;

/// <summary>Who may do what on the embedded broker, through MQTTnet's own hooks: CONNECT is checked once
/// against the <see cref="AccountBook"/> (PBKDF2, once per connection); every PUBLISH (last wills included)
/// and SUBSCRIBE against the account's rights, looked up by the connection's user name. Refusals carry
/// MQTT's reason codes and are logged once per address or account per <see cref="RefusalLog.Window"/>,
/// never with a password. The bridge's own in-process link is recognised by <see cref="BridgeSession"/>,
/// which no network client can present.</summary>
public sealed class BrokerAccessControl(AccountBook book, IOptions<BrokerAccountOptions> options, TimeProvider time, ILogger<BrokerAccessControl> log)
{
    /// <summary>The session items the in-process link injects its messages with.</summary>
    public static readonly IDictionary BridgeSession = new Hashtable();

    private readonly RefusalLog _refusals = new(time);
    // Which account last connected with a client id: a persistent session (clean session off) keeps its
    // subscriptions, so another account must never resume it.
    private readonly ConcurrentDictionary<string, string> _sessionOwners = new(StringComparer.Ordinal);
    private long _refusedConnects, _refusedPublishes, _refusedSubscriptions;
    private MqttServer? _server;

    public bool AllowAnonymous => options.Value.AllowAnonymous;
    public long RefusedConnects => Interlocked.Read(ref _refusedConnects);
    public long RefusedPublishes => Interlocked.Read(ref _refusedPublishes);
    public long RefusedSubscriptions => Interlocked.Read(ref _refusedSubscriptions);

    public void Attach(MqttServer server)
    {
        _server = server;
        server.ValidatingConnectionAsync += OnConnect;
        server.InterceptingPublishAsync += OnPublish;
        server.InterceptingSubscriptionAsync += OnSubscribe;
    }

    private async Task OnConnect(ValidatingConnectionEventArgs e)
    {
        var user = e.UserName;
        if (string.IsNullOrEmpty(user))
        {
            if (!AllowAnonymous)
                RefuseConnect(e, MqttConnectReasonCode.NotAuthorized, "no user name; this broker admits only the accounts the bridge made (see Mqtt:AllowAnonymous)");
            return;
        }
        if (!book.TryFind(user, out var account) || !PasswordHash.Verify(account.PasswordHash, e.RawPassword ?? []))
        {
            RefuseConnect(e, MqttConnectReasonCode.BadUserNameOrPassword, "unknown user name or wrong password");
            return;
        }
        var clientId = e.ClientId ?? "";
        if (_sessionOwners.TryGetValue(clientId, out var owner) && owner != user)
        {
            // A persistent session keeps its subscriptions: another account must never resume it. And a
            // connection under another account's client id would push that device off the broker.
            if (e.CleanSession == false)
            {
                RefuseConnect(e, MqttConnectReasonCode.NotAuthorized, $"it asked to resume the session of client id '{Short(clientId)}', which belongs to another account");
                return;
            }
            if (_server is { } server && (await server.GetClientsAsync().ConfigureAwait(false)).Any(c => c.Id == clientId))
            {
                RefuseConnect(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"client id '{Short(clientId)}' is connected under another account");
                return;
            }
        }
        _sessionOwners[clientId] = user;
    }

    private Task OnPublish(InterceptingPublishEventArgs e)
    {
        if (ReferenceEquals(e.SessionItems, BridgeSession)) return Task.CompletedTask;
        var user = e.UserName;
        if (string.IsNullOrEmpty(user) && AllowAnonymous) return Task.CompletedTask;
        var topic = e.ApplicationMessage.Topic;
        if (!string.IsNullOrEmpty(user) && book.TryFind(user, out var account) && account.Rights.MayPublish(topic, e.ApplicationMessage.Payload))
            return Task.CompletedTask;
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        Interlocked.Increment(ref _refusedPublishes);
        if (_refusals.ShouldLog("publish:" + user))
            log.LogWarning("MQTT account {Username} (client {ClientId}) may not publish on {Topic}; refused (further refusals for it are logged at most every {Window} min)",
                Short(user), Short(e.ClientId), Short(topic), RefusalLog.Window.TotalMinutes);
        return Task.CompletedTask;
    }

    private Task OnSubscribe(InterceptingSubscriptionEventArgs e)
    {
        var user = e.UserName;
        if (string.IsNullOrEmpty(user) && AllowAnonymous) return Task.CompletedTask;
        var filter = e.TopicFilter.Topic;
        if (!string.IsNullOrEmpty(user) && book.TryFind(user, out var account) && account.Rights.MaySubscribe(filter))
            return Task.CompletedTask;
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        Interlocked.Increment(ref _refusedSubscriptions);
        if (_refusals.ShouldLog("subscribe:" + user))
            log.LogWarning("MQTT account {Username} (client {ClientId}) may not subscribe to {Filter}; refused (further refusals for it are logged at most every {Window} min)",
                Short(user), Short(e.ClientId), Short(filter), RefusalLog.Window.TotalMinutes);
        return Task.CompletedTask;
    }

    private void RefuseConnect(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        Interlocked.Increment(ref _refusedConnects);
        var address = e.RemoteEndPoint is IPEndPoint ip ? ip.Address.ToString() : e.RemoteEndPoint?.ToString() ?? "?";
        if (_refusals.ShouldLog("connect:" + address))
            log.LogWarning("MQTT client {ClientId} from {Address} (user {Username}) refused: {Reason} (further refusals from {Address2} are logged at most every {Window} min)",
                Short(e.ClientId), address, Short(e.UserName), why, address, RefusalLog.Window.TotalMinutes);
    }

    /// <summary>Client-chosen text, bounded and without control characters, fit for one log line.</summary>
    private static string Short(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "(none)";
        var cut = s.Length <= 64 ? s : s[..64] + "…";
        return string.Create(cut.Length, cut, (span, src) =>
        {
            for (var i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) ? '?' : src[i];
        });
    }
}
