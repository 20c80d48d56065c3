using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tuya;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.Lan;
using Bridge.Service.Secrets;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>The Tuya devices the bridge hears and keeps: every broadcast lists the device in
/// <c>discovered</c> (never with a key); each adopted device (its key in the secret store) gets one
/// <see cref="TuyaConnection"/> whose state and availability flow into the device registry.</summary>
public sealed class TuyaDevices(
    DeviceRegistry registry,
    ProfileMatcher profiles,
    IOptions<TuyaOptions> options,
    IOptions<StaticLanDevicesOptions> statics,
    DiscoveredDevices discovered,
    ISecretStore secrets,
    MalformedPayloadLog malformed,
    TimeProvider time,
    ILogger<TuyaDevices> log) : IHostedService, ITuyaConnectionEvents
{
    public const string Protocol = "tuya";
    public const string HostKey = "host";
    public const string PortKey = "port";
    public const string VersionKey = "version";
    public const string ProductKeyKey = "productKey";

    private sealed record Known(TuyaAnnouncement Announcement, int Port);

    private readonly ConcurrentDictionary<string, TuyaConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Known> _heard = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TuyaConnection, TaskCompletionSource<(TuyaReport?, TuyaFailure)>> _adopting = new();
    private volatile bool _stopped;

    public static string DeviceIdOf(string devId) => Protocol + "-" + devId;
    public static string KeyName(string deviceId) => SecretNames.ForDevice(deviceId, "key");

    /// <summary>Declared devices are listed at once; adopted ones are dialled at their last address.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, s) in statics.Value.Of(Protocol))
        {
            TuyaVersions.TryParse(s.Version ?? "3.3", out var version);
            var devId = s.Id!.StartsWith(Protocol + "-", StringComparison.Ordinal) ? s.Id[(Protocol.Length + 1)..] : s.Id;
            if (s.Key is { } key && TuyaKeys.TryParseLocalKey(key, out _) is not null) secrets.Set(KeyName(DeviceIdOf(devId)), key);
            Seen(new TuyaAnnouncement(devId, s.Address!, null, version), s.Port ?? options.Value.DevicePort, "static", s.Name);
        }
        foreach (var d in registry.All())
            if (d.Protocol == Protocol && EndPointOf(d) is { } ep && KeyOf(d.Id) is { } k && VersionOf(d) is { } v)
                Connect(d.Id, ep, v, k);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        // In parallel: each connection waits briefly for its device's goodbye.
        await Task.WhenAll(_connections.Values.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _connections.Clear();
    }

    public TuyaConnection? Connection(string deviceId) => _connections.GetValueOrDefault(deviceId);

    /// <summary>A broadcast (or REQ_DEVINFO answer, or a declared device) was heard.</summary>
    public void Seen(TuyaAnnouncement a, int port, string source = "tuya", string? name = null)
    {
        if (_stopped) return;
        var id = DeviceIdOf(a.DeviceId);
        var known = new Known(a, port);
        var before = _heard.GetValueOrDefault(id);
        _heard[id] = known;
        var address = IPAddress.Parse(a.Ip);
        discovered.Found(new DiscoveredDevice(id, Protocol, address, port, name ?? NameOf(a), source));
        if (!registry.TryGet(id, out var device)) return;
        var endPoint = new IPEndPoint(address, port);
        if (before is null || before != known)
        {
            var binding = Binding(endPoint, a.Version, a.ProductKey ?? device.Binding.GetValueOrDefault(ProductKeyKey));
            registry.AddOrUpdate(id, device.Name, device.Profile, binding);
        }
        if (_connections.TryGetValue(id, out var connection))
        {
            if (connection.Version == a.Version) connection.Seen(endPoint);
            else if (KeyOf(id) is { } key) Reconnect(id, endPoint, a.Version, key);
        }
        else if (KeyOf(id) is { } key && !_stopped) Connect(id, endPoint, a.Version, key);
    }

    /// <summary>What adoption needs to know of a heard device: where, which version, which product.</summary>
    public bool TryHeard(string deviceId, out TuyaAnnouncement announcement, out IPEndPoint endPoint)
    {
        if (_heard.TryGetValue(deviceId, out var k))
        {
            announcement = k.Announcement;
            endPoint = new IPEndPoint(IPAddress.Parse(k.Announcement.Ip), k.Port);
            return true;
        }
        announcement = null!;
        endPoint = null!;
        return false;
    }

    /// <summary>Tries <paramref name="key"/> on the device; once it answers, keeps the key in the secret
    /// store and the device in the registry, online with the state it reported.</summary>
    public async Task<Device> AdoptAsync(string id, TuyaAnnouncement a, IPEndPoint endPoint, string key, DeviceProfile profile, string name, CancellationToken ct)
    {
        var keyBytes = TuyaKeys.TryParseLocalKey(key, out var error) ?? throw new AdoptFailedException(ErrorCodes.BadRequest, error);
        // The device takes one client: ours goes first, or the trial would look like the app holding it.
        // A connection whose key the device already rejected is not dialled again if this key fails too.
        var oldRejected = false;
        if (_connections.TryRemove(id, out var old))
        {
            oldRejected = old.Failure == TuyaFailure.KeyRejected;
            await old.DisposeAsync().ConfigureAwait(false);
        }
        var trial = new TuyaConnection(id, a.DeviceId, endPoint, a.Version, keyBytes, this, options.Value, time);
        var outcome = new TaskCompletionSource<(TuyaReport?, TuyaFailure)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _adopting[trial] = outcome;
        trial.Start();
        (TuyaReport? state, TuyaFailure why) result;
        try
        {
            var limit = options.Value.ConnectTimeout + options.Value.ReplyTimeout * 3;
            result = await outcome.Task.WaitAsync(limit, time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            result = (null, TuyaFailure.NoAnswer);
        }
        catch
        {
            _adopting.TryRemove(trial, out _);
            await trial.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _adopting.TryRemove(trial, out _);
        if (result.state is null)
        {
            await trial.DisposeAsync().ConfigureAwait(false);
            if (!oldRejected && KeyOf(id) is { } oldKey && registry.TryGet(id, out _)) Connect(id, endPoint, a.Version, oldKey);
            throw result.why switch
            {
                TuyaFailure.KeyRejected => new AdoptFailedException(ErrorCodes.InvalidValue,
                    $"'{id}' rejected this key: copy its current local key (it changes whenever the device is re-paired in its app) and adopt again"),
                TuyaFailure.AppHoldsConnection => new AdoptFailedException(ErrorCodes.Busy, $"'{id}': {TuyaFailures.AppHoldsMessage}; then adopt again"),
                _ => new AdoptFailedException(ErrorCodes.DeviceOffline,
                    $"'{id}' did not answer at {endPoint} (protocol {a.VersionText}): {(result.why == TuyaFailure.None ? "the connection broke" : result.why.Message())}; is it powered and on this network?"),
            };
        }
        secrets.Set(KeyName(id), key);
        var device = registry.AddOrUpdate(id, name, profile, Binding(endPoint, a.Version, a.ProductKey));
        _connections[id] = trial;
        ApplyReport(device, result.state);
        registry.SetOnline(device, true);
        log.LogInformation("Tuya device {DeviceId} adopted (protocol {Version}, profile {Profile})", id, a.VersionText, profile.Id);
        return device;
    }

    /// <summary>The profile for a device: <c>Devices:Assign</c>, else the one whose <c>match.productKey</c> is its product key.</summary>
    public DeviceProfile? PickProfile(string id, string? productKey) =>
        profiles.Pick(Protocol, id, (key, value) => key == "productKey" && MatchValues.OneOf(value, productKey));

    private void Connect(string id, IPEndPoint endPoint, TuyaVersion version, byte[] key)
    {
        var created = false;
        var connection = _connections.GetOrAdd(id, _ =>
        {
            created = true;
            return new TuyaConnection(id, id[(Protocol.Length + 1)..], endPoint, version, key, this, options.Value, time);
        });
        if (created) connection.Start();
    }

    private void Reconnect(string id, IPEndPoint endPoint, TuyaVersion version, byte[] key)
    {
        if (_connections.TryRemove(id, out var old)) _ = old.DisposeAsync().AsTask();
        Connect(id, endPoint, version, key);
    }

    void ITuyaConnectionEvents.Connected(TuyaConnection connection, TuyaReport state)
    {
        if (_adopting.TryGetValue(connection, out var outcome)) { outcome.TrySetResult((state, TuyaFailure.None)); return; }
        if (!Mine(connection, out var device)) return;
        ApplyReport(device, state);
        registry.SetOnline(device, true);
    }

    void ITuyaConnectionEvents.Report(TuyaConnection connection, TuyaReport report)
    {
        if (Mine(connection, out var device)) ApplyReport(device, report);
    }

    void ITuyaConnectionEvents.Lost(TuyaConnection connection, TuyaFailure why)
    {
        if (_adopting.TryGetValue(connection, out var outcome)) { outcome.TrySetResult((null, why)); return; }
        if (Mine(connection, out var device)) registry.SetOnline(device, false, why.Message() is { Length: > 0 } m ? m : null);
    }

    void ITuyaConnectionEvents.Malformed(TuyaConnection connection, string problem) =>
        malformed.Report(connection.DeviceId, "tuya " + connection.EndPoint, problem);

    private bool Mine(TuyaConnection connection, out Device device) =>
        registry.TryGet(connection.DeviceId, out device) && _connections.TryGetValue(connection.DeviceId, out var current) && current == connection;

    private void ApplyReport(Device device, TuyaReport? report)
    {
        if (report is null) return;
        registry.Report(device, (report.Dps, device.Profile), static (m, into) =>
        {
            TuyaMapping.For(m.Profile).Read(m.Dps, into);
            return true;
        }, expected: report.Dps.Count);
    }

    private byte[]? KeyOf(string id) =>
        secrets.TryGet(KeyName(id), out var text) ? TuyaKeys.TryParseLocalKey(text, out _) : null;

    private static Dictionary<string, string> Binding(IPEndPoint endPoint, TuyaVersion version, string? productKey)
    {
        var b = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HostKey] = endPoint.Address.ToString(),
            [PortKey] = endPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [VersionKey] = version.Text(),
        };
        if (productKey is not null) b[ProductKeyKey] = productKey;
        return b;
    }

    private static string NameOf(TuyaAnnouncement a) => $"Tuya device {a.DeviceId[^Math.Min(4, a.DeviceId.Length)..]}";

    private static IPEndPoint? EndPointOf(Device d) =>
        d.Binding.TryGetValue(HostKey, out var host) && d.Binding.TryGetValue(PortKey, out var port)
        && IPAddress.TryParse(host, out var address) && int.TryParse(port, out var p) && p is > 0 and < 65536
            ? new IPEndPoint(address, p) : null;

    private static TuyaVersion? VersionOf(Device d) =>
        d.Binding.TryGetValue(VersionKey, out var v) && TuyaVersions.TryParse(v, out var version) ? version : null;
}
