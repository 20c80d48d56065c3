using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using Bridge.Protocols.Model;
using Bridge.Protocols.Yeelight;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Options;
using Bridge.Runtime.Quotas;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>The Yeelight bulbs the bridge knows, keyed by their own id: a search response or advert
/// adds a bulb (or updates its address, name, profile), and each bulb gets one connection whose
/// state and availability flow into the device registry.</summary>
public sealed class YeelightBulbs(
    DeviceRegistry registry,
    ProfileMatcher profiles,
    IOptions<YeelightOptions> options,
    DiscoveredDevices discovered,
    MalformedPayloadLog malformed,
    TimeProvider time,
    ILogger<YeelightBulbs> log) : IHostedService, IYeelightConnectionEvents
{
    public const string HostKey = "host";
    public const string PortKey = "port";

    private readonly ConcurrentDictionary<string, YeelightConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MinuteQuota> _quotas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unmatched = new(StringComparer.Ordinal);
    private volatile bool _stopped;

    /// <summary>Bulbs saved earlier are dialled at their last address at once; a search finds moved ones.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var d in registry.All())
            if (d.Protocol == YeelightDriver.DriverName && EndPointOf(d) is { } ep)
                ConnectionFor(d.Id, ep, YeelightMapping.For(d.Profile).Props.ToArray(), out _).Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        foreach (var c in _connections.Values) await c.DisposeAsync().ConfigureAwait(false);
        _connections.Clear();
    }

    public YeelightConnection? Connection(string deviceId) => _connections.GetValueOrDefault(deviceId);

    public MinuteQuota Quota(string deviceId) =>
        _quotas.GetOrAdd(deviceId, _ => new MinuteQuota(options.Value.CommandsPerMinute, time));

    /// <summary><see cref="SeenAsync"/> for a receive loop that must not wait on it; a failure is logged.</summary>
    public void Seen(YeelightAdvert advert)
    {
        var seen = SeenAsync(advert);
        if (seen.IsCompletedSuccessfully) return;
        _ = seen.ContinueWith(t => log.LogError(t.Exception, "Yeelight: handling an advert of bulb {Id} failed", advert.Id),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A search response or NOTIFY advert arrived. Completes once the bulb's connection has
    /// settled on an address (a known bulb at a new one moves only if that one accepts a
    /// connection), which is then the address the registry and the discovered list show.</summary>
    public async Task SeenAsync(YeelightAdvert advert)
    {
        if (_stopped) return;
        var id = YeelightIds.DeviceId(advert.Id);
        var profile = PickProfile(id, advert);
        if (profile is null)
        {
            if (_unmatched.TryAdd(id, 0))
                log.LogWarning("Yeelight bulb {DeviceId} ({Model}) matches no profile; assign one with Devices:Assign:{DeviceId}=<profile>", id, advert.Model, id);
            return;
        }
        var name = string.IsNullOrWhiteSpace(advert.Name) ? $"Yeelight {advert.Model ?? "bulb"} {advert.Id[^6..]}" : advert.Name;
        var advertised = new IPEndPoint(IPAddress.Parse(advert.Host), advert.Port);
        var connection = ConnectionFor(id, advertised, YeelightMapping.For(profile).Props.ToArray(), out var created);
        if (!created)
        {
            await connection.SeenAsync(advertised).ConfigureAwait(false);
            if (_stopped) return;
        }
        // The address shown is the one the connection uses as this is written, read under a lock per
        // bulb: adverts handled at once (a probe, a same-address one) cannot leave an older one last.
        lock (connection)
        {
            var endPoint = connection.EndPoint;
            var binding = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [HostKey] = endPoint.Address.ToString(),
                [PortKey] = endPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["model"] = advert.Model ?? "",
            };
            registry.AddOrUpdate(id, name, profile, binding);
            discovered.Found(new DiscoveredDevice(id, YeelightDriver.DriverName, endPoint.Address, endPoint.Port, name, "yeelight"));
        }
        // Started once its device is in the registry, which its first answer reports to.
        if (created) connection.Start();
    }

    /// <summary>The bulb's one connection, made (not yet started) if it has none.</summary>
    private YeelightConnection ConnectionFor(string id, IPEndPoint endPoint, string[] props, out bool created)
    {
        var made = false;
        var connection = _connections.GetOrAdd(id, _ =>
        {
            made = true;
            return new YeelightConnection(id, endPoint, props, this, options.Value, time);
        });
        created = made;
        return connection;
    }

    void IYeelightConnectionEvents.Connected(YeelightConnection connection, YeelightMessage state)
    {
        if (!registry.TryGet(connection.DeviceId, out var device)) return;
        // The get_prop that proved it a bulb counts against its quota like any command.
        Quota(device.Id).TryTake(1, out _);
        if (state.Kind == YeelightMessageKind.Result)
        {
            registry.Report(device, (Props: connection.StateProps.Zip(state.Results, (p, v) => new KeyValuePair<string, string>(p, v)), device.Profile),
                ReadProps, expected: connection.StateProps.Count);
        }
        else log.LogDebug("Yeelight bulb {DeviceId} refused get_prop after connecting: {Message}", device.Id, state.ErrorMessage);
        registry.SetOnline(device, true);
    }

    void IYeelightConnectionEvents.Disconnected(YeelightConnection connection)
    {
        if (registry.TryGet(connection.DeviceId, out var device)) registry.SetOnline(device, false);
    }

    void IYeelightConnectionEvents.Props(YeelightConnection connection, IReadOnlyList<KeyValuePair<string, string>> props)
    {
        if (!registry.TryGet(connection.DeviceId, out var device)) return;
        registry.Report(device, (Props: (IEnumerable<KeyValuePair<string, string>>)props, device.Profile), ReadProps, expected: props.Count);
    }

    private static bool ReadProps((IEnumerable<KeyValuePair<string, string>> Props, DeviceProfile Profile) m, List<KeyValuePair<string, StateValue>> into)
    {
        YeelightMapping.For(m.Profile).Read(m.Props, into);
        return true;
    }

    void IYeelightConnectionEvents.Malformed(YeelightConnection connection, string problem) =>
        malformed.Report(connection.DeviceId, "yeelight " + connection.EndPoint, problem);

    private DeviceProfile? PickProfile(string id, YeelightAdvert advert) =>
        profiles.Pick(YeelightDriver.DriverName, id, (key, value) => key switch
        {
            // Every method named must be supported (a string or an array of them).
            "support" => MatchValues.Every(value, advert.Supports),
            "model" => MatchValues.OneOf(value, advert.Model),
            _ => false,
        });

    private static IPEndPoint? EndPointOf(Device d) =>
        d.Binding.TryGetValue(HostKey, out var host) && d.Binding.TryGetValue(PortKey, out var port)
        && IPAddress.TryParse(host, out var address) && int.TryParse(port, out var p) && p is > 0 and < 65536
            ? new IPEndPoint(address, p) : null;
}
