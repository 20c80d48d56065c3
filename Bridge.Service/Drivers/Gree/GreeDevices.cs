using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Bridge.Protocols.Api;
using Bridge.Protocols.Gree;
using Bridge.Protocols.Model;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Secrets;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Gree;

/// <summary>The Gree units the bridge hears and keeps: every scan answer lists the unit in
/// <c>discovered</c>; adopting binds it (its key goes to the secret store, never elsewhere) and gives
/// it a <see cref="GreeUnit"/> that polls it, whose state and availability flow into the registry.</summary>
public sealed class GreeDevices(
    DeviceRegistry registry,
    ProfileMatcher profiles,
    IOptions<GreeOptions> options,
    DiscoveredDevices discovered,
    ISecretStore secrets,
    MalformedPayloadLog malformed,
    TimeProvider time,
    ILogger<GreeDevices> log) : IHostedService, IGreeUnitEvents
{
    public const string Protocol = "gree";
    public const string HostKey = "host";
    public const string PortKey = "port";
    public const string CipherKey = "cipher";
    public const string FirmwareKey = "firmware";

    /// <summary>What a unit's scan answer said, and where it came from.</summary>
    public sealed record Heard(string Mac, IPEndPoint EndPoint, string Name, string? Version, string? Hid);

    private readonly ConcurrentDictionary<string, GreeUnit> _units = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Heard> _heard = new(StringComparer.Ordinal);
    private volatile bool _stopped;

    public static string DeviceIdOf(string mac) => Protocol + "-" + mac.ToLowerInvariant();
    public static string KeyName(string deviceId) => SecretNames.ForDevice(deviceId, "key");

    /// <summary>Adopted units are polled at once at their last address with their kept key.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var d in registry.All())
            if (d.Protocol == Protocol && EndPointOf(d) is { } ep && secrets.TryGet(KeyName(d.Id), out var key) && CipherOf(d) is { } cipher)
                Keep(d, ep, cipher, key, d.Binding.GetValueOrDefault(FirmwareKey), pollNow: true);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        foreach (var u in _units.Values) await u.DisposeAsync().ConfigureAwait(false);
        _units.Clear();
    }

    public GreeUnit? Unit(string deviceId) => _units.GetValueOrDefault(deviceId);

    public bool TryHeard(string deviceId, out Heard heard) => _heard.TryGetValue(deviceId, out heard!);

    /// <summary>A unit answered the scan.</summary>
    public void Seen(Heard h)
    {
        if (_stopped) return;
        var id = DeviceIdOf(h.Mac);
        var before = _heard.GetValueOrDefault(id);
        _heard[id] = h;
        discovered.Found(new DiscoveredDevice(id, Protocol, h.EndPoint.Address, h.EndPoint.Port, h.Name, Protocol));
        // A unit that moved is polled at its new address.
        if (before is not null && !before.EndPoint.Equals(h.EndPoint) && registry.TryGet(id, out var device) && _units.TryGetValue(id, out var unit)
            && secrets.TryGet(KeyName(id), out var key))
        {
            registry.AddOrUpdate(id, device.Name, device.Profile, Binding(h.EndPoint, unit.Cipher, unit.Firmware));
            Keep(device, h.EndPoint, unit.Cipher, key, unit.Firmware, pollNow: true);
        }
    }

    /// <summary>Binds the unit (the cipher it answers is pinned), reads its state, and only then keeps
    /// its key and the device. Adopting again binds again.</summary>
    public async Task<Device> AdoptAsync(string id, Heard h, DeviceProfile profile, string name, GreeCipherVersion? pinned, CancellationToken ct)
    {
        var mapping = GreeMapping.For(profile);
        var link = NewLink(id, h.Mac, h.EndPoint);
        try
        {
            var order = pinned is { } p ? GreeBind.Order(p) : GreeBind.Order(GreeBind.Likely(h.Version, h.Hid));
            var bound = await GreeBind.BindAsync(link, order, options.Value.ReplyTimeout, ct).ConfigureAwait(false)
                ?? throw new AdoptFailedException(ErrorCodes.DeviceOffline,
                    $"'{id}' did not answer a bind at {h.EndPoint} (tried {string.Join(" and ", order)}): {GreeFailures.NoAnswerMessage}; nothing was kept");
            var unit = new GreeUnit(id, link, bound.Cipher, bound.Key, h.Version, mapping.Columns, options.Value, time, this);
            var state = await unit.StatusAsync(ct).ConfigureAwait(false)
                ?? throw new AdoptFailedException(ErrorCodes.DeviceOffline, $"'{id}' bound but did not answer a status request; nothing was kept, adopt it again");
            link = null; // the unit owns it now
            secrets.Set(KeyName(id), bound.Key);
            var device = registry.AddOrUpdate(id, name, profile, Binding(h.EndPoint, bound.Cipher, h.Version));
            if (_units.TryRemove(id, out var old)) await old.DisposeAsync().ConfigureAwait(false);
            _units[id] = unit;
            Apply(device, unit, state);
            registry.SetOnline(device, true);
            unit.Start(pollNow: false);
            log.LogInformation("Gree unit {DeviceId} adopted (cipher {Cipher}, firmware {Firmware}, profile {Profile})", id, bound.Cipher, h.Version ?? "unknown", profile.Id);
            return device;
        }
        finally
        {
            link?.Dispose();
        }
    }

    /// <summary>The profile for a unit: <c>Devices:Assign</c>, else the first whose <c>match.protocol</c> is
    /// <c>gree</c> (every unit that answers the Gree scan speaks the same columns, whatever its brand).</summary>
    public DeviceProfile? PickProfile(string id) =>
        profiles.Pick(Protocol, id, (key, value) => key == "protocol" && MatchValues.OneOf(value, Protocol));

    void IGreeUnitEvents.Polled(GreeUnit unit, GreeMessage dat)
    {
        if (!Mine(unit, out var device)) return;
        Apply(device, unit, dat);
        registry.SetOnline(device, true);
    }

    void IGreeUnitEvents.Lost(GreeUnit unit, GreeFailure why)
    {
        if (Mine(unit, out var device)) registry.SetOnline(device, false, why.Message());
    }

    void IGreeUnitEvents.Rekeyed(GreeUnit unit, string key)
    {
        if (!Mine(unit, out _)) return;
        secrets.Set(KeyName(unit.DeviceId), key);
        log.LogInformation("Gree unit {DeviceId} had forgotten its key and was bound again", unit.DeviceId);
    }

    /// <summary>Applies the columns of a <c>dat</c> or <c>res</c> to the device.</summary>
    public void Apply(Device device, GreeUnit unit, GreeMessage m) =>
        registry.Report(device, (Message: m, device.Profile, unit.Firmware), static (x, into) =>
        {
            GreeMapping.For(x.Profile).Read(x.Message.Columns, x.Message.Values, x.Firmware, into);
            return true;
        }, expected: m.Columns.Count);

    private void Keep(Device device, IPEndPoint endPoint, GreeCipherVersion cipher, string key, string? firmware, bool pollNow)
    {
        var unit = new GreeUnit(device.Id, NewLink(device.Id, device.Id[(Protocol.Length + 1)..], endPoint), cipher, key, firmware,
            GreeMapping.For(device.Profile).Columns, options.Value, time, this);
        if (_units.TryRemove(device.Id, out var old)) _ = old.DisposeAsync().AsTask();
        _units[device.Id] = unit;
        unit.Start(pollNow);
    }

    private GreeLink NewLink(string id, string mac, IPEndPoint endPoint) =>
        new(mac, endPoint, time, problem => malformed.Report(id, "gree " + endPoint, problem));

    private bool Mine(GreeUnit unit, out Device device) =>
        registry.TryGet(unit.DeviceId, out device) && _units.TryGetValue(unit.DeviceId, out var current) && current == unit;

    private static Dictionary<string, string> Binding(IPEndPoint endPoint, GreeCipherVersion cipher, string? firmware)
    {
        var b = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HostKey] = endPoint.Address.ToString(),
            [PortKey] = endPoint.Port.ToString(CultureInfo.InvariantCulture),
            [CipherKey] = cipher.ToString(),
        };
        if (firmware is not null) b[FirmwareKey] = firmware;
        return b;
    }

    private static IPEndPoint? EndPointOf(Device d) =>
        d.Binding.TryGetValue(HostKey, out var host) && d.Binding.TryGetValue(PortKey, out var port)
        && IPAddress.TryParse(host, out var address) && int.TryParse(port, out var p) && p is > 0 and < 65536
            ? new IPEndPoint(address, p) : null;

    public static GreeCipherVersion? CipherOf(Device d) =>
        d.Binding.TryGetValue(CipherKey, out var c) && Enum.TryParse<GreeCipherVersion>(c, out var v) ? v : null;
}
