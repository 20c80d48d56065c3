using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.Lan;
using Bridge.Service.Secrets;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Miio;

/// <summary>The Xiaomi devices the bridge hears and keeps: every hello answer lists the device in
/// <c>discovered</c> (never with a token); each adopted device (its token in the secret store) gets
/// one <see cref="MiioConnection"/> and a poll loop whose readings and availability flow into the
/// device registry. A device whose token is rejected is marked offline with the reason and left
/// alone until it is adopted again.</summary>
public sealed partial class MiioDevices(
    DeviceRegistry registry,
    ProfileMatcher profiles,
    IOptions<MiioOptions> options,
    IOptions<StaticLanDevicesOptions> statics,
    DiscoveredDevices discovered,
    ISecretStore secrets,
    MalformedPayloadLog malformed,
    TimeProvider time,
    ILogger<MiioDevices> log) : IHostedService
{
    public const string Protocol = "miio";
    public const string HostKey = "host";
    public const string PortKey = "port";
    public const string ModelKey = "model";

    private readonly ConcurrentDictionary<string, Link> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IPEndPoint> _heard = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public static string DeviceIdOf(uint did) => Protocol + "-" + did.ToString(CultureInfo.InvariantCulture);
    public static string TokenName(string deviceId) => SecretNames.ForDevice(deviceId, "token");

    public static bool TryParseDeviceId(string id, out uint did)
    {
        did = 0;
        return id.StartsWith(Protocol + "-", StringComparison.Ordinal)
            && uint.TryParse(id.AsSpan(Protocol.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out did);
    }

    /// <summary>Declared devices are listed at once; adopted ones are polled at their last address.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, s) in statics.Value.Of(Protocol))
        {
            if (!TryParseDeviceId(s.Id!, out var did)) continue;
            Seen(did, new IPEndPoint(IPAddress.Parse(s.Address!), s.Port ?? options.Value.Port), "static", s.Name);
        }
        foreach (var d in registry.All())
            if (d.Protocol == Protocol && TryParseDeviceId(d.Id, out var did) && EndPointOf(d) is { } ep && TokenOf(d.Id) is { } token)
                StartLink(d.Id, new MiioConnection(d.Id, did, ep, token, options.Value, time, Malformed(d.Id)), pollAtOnce: true);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var link in _links.Values) await link.StopAsync().ConfigureAwait(false);
        _links.Clear();
    }

    public MiioConnection? Connection(string deviceId) => _links.TryGetValue(deviceId, out var l) ? l.Connection : null;

    /// <summary>A hello answer (or a declared device): list it, and follow an adopted device that moved.</summary>
    public void Seen(uint did, IPEndPoint endPoint, string source = Protocol, string? name = null)
    {
        if (_stop.IsCancellationRequested) return;
        var id = DeviceIdOf(did);
        var before = _heard.GetValueOrDefault(id);
        _heard[id] = endPoint;
        var known = registry.TryGet(id, out var device);
        var model = known ? device.Binding.GetValueOrDefault(ModelKey) : null;
        discovered.Found(new DiscoveredDevice(id, Protocol, endPoint.Address, endPoint.Port, name ?? (known ? device.Name : NameOf(did, model)), source));
        if (!known) return;
        if (!endPoint.Equals(before) && !endPoint.Equals(EndPointOf(device)))
            registry.AddOrUpdate(id, device.Name, device.Profile, Binding(endPoint, model));
        if (_links.TryGetValue(id, out var link))
        {
            link.Connection.Move(endPoint);
            // Back after a silence: read it now rather than at the next poll.
            if (!device.Online && link.Failure != MiioFailure.TokenRejected) link.Kick();
        }
        else if (TokenOf(id) is { } token)
            StartLink(id, new MiioConnection(id, did, endPoint, token, options.Value, time, Malformed(id)), pollAtOnce: true);
    }

    /// <summary>Where a device was last heard (hello or declaration).</summary>
    public bool TryHeard(string deviceId, out IPEndPoint endPoint) => _heard.TryGetValue(deviceId, out endPoint!);

    /// <summary>Tries <paramref name="token"/> on the device (<c>miIO.info</c>, then the profile's
    /// properties); once it answered, keeps the token in the secret store and the device in the
    /// registry, online with the state it reported, and polls it from then on.</summary>
    public async Task<Device> AdoptAsync(string id, IPEndPoint endPoint, string token, DeviceProfile? known, string name, CancellationToken ct)
    {
        TryParseDeviceId(id, out var did);
        var tokenBytes = MiioPacketCodec.TryParseToken(token, out var error) ?? throw new AdoptFailedException(ErrorCodes.BadRequest, error);
        var trial = new MiioConnection(id, did, endPoint, tokenBytes, options.Value, time, Malformed(id));
        try
        {
            var model = await ReadModelAsync(trial, id, endPoint, ct).ConfigureAwait(false);
            var profile = known ?? PickProfile(id, model)
                ?? throw new AdoptFailedException(ErrorCodes.BadRequest,
                    $"no device profile for '{id}' (model {model ?? "unknown"}); add one to configs/devices or set Devices:Assign:{id}=<profile>");
            var values = await ReadStateOrFailAsync(trial, MiioMapping.For(profile), id, ct).ConfigureAwait(false);
            secrets.Set(TokenName(id), token.Trim().ToLowerInvariant());
            if (_links.TryRemove(id, out var old)) await old.StopAsync().ConfigureAwait(false);
            // Heard only by its hello, it had no better name than its number; now its model is known.
            if (name == NameOf(did, null) && model is not null) name = NameOf(did, model);
            var device = registry.AddOrUpdate(id, name, profile, Binding(endPoint, model));
            registry.ApplyReport(device, CollectionsMarshal.AsSpan(values));
            registry.SetOnline(device, true);
            StartLink(id, trial, pollAtOnce: false);
            log.LogInformation("Xiaomi device {DeviceId} adopted (model {Model}, profile {Profile})", id, model, profile.Id);
            return device;
        }
        catch
        {
            if (!_links.TryGetValue(id, out var l) || l.Connection != trial) trial.Dispose();
            throw;
        }
    }

    private static async Task<string?> ReadModelAsync(MiioConnection trial, string id, IPEndPoint endPoint, CancellationToken ct)
    {
        try
        {
            var info = await trial.CallAsync("miIO.info", EmptyParams, ct).ConfigureAwait(false);
            return info.Result is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (MiioCallException e)
        {
            throw e.Why == MiioFailure.TokenRejected
                ? new AdoptFailedException(ErrorCodes.InvalidValue,
                    $"'{id}' did not accept this token: copy its current token (it changes whenever the device is re-bound in Mi Home) and adopt again")
                : new AdoptFailedException(ErrorCodes.DeviceOffline, $"'{id}' did not answer at {endPoint}; is it powered and on this network?");
        }
    }

    private async Task<List<KeyValuePair<string, StateValue>>> ReadStateOrFailAsync(MiioConnection trial, MiioMapping mapping, string id, CancellationToken ct)
    {
        try
        {
            return await ReadStateAsync(trial, mapping, ct).ConfigureAwait(false);
        }
        catch (MiioCallException e)
        {
            throw new AdoptFailedException(ErrorCodes.DeviceOffline, $"'{id}' answered miIO.info but not get_properties: {e.Message}");
        }
    }

    /// <summary>Every property the profile maps, at most 15 a request (PROTOCOLS.md §10.2).</summary>
    public static async Task<List<KeyValuePair<string, StateValue>>> ReadStateAsync(MiioConnection connection, MiioMapping mapping, CancellationToken ct)
    {
        var values = new List<KeyValuePair<string, StateValue>>(mapping.Capabilities.Count);
        var did = connection.Did.ToString(CultureInfo.InvariantCulture);
        foreach (var batch in mapping.Capabilities.Chunk(MiioJson.MaxPropertiesPerRequest))
        {
            var reply = await connection.CallAsync("get_properties", w => MiioJson.WritePropertyList(w, did, batch.Select(c => c.Property), withValues: false), ct).ConfigureAwait(false);
            if (reply.IsError) throw new MiioCallException(MiioFailure.None, $"'{connection.DeviceId}' refused get_properties: {reply.ErrorCode} {reply.ErrorMessage}");
            mapping.Read(MiioJson.Properties(reply.Result), values);
        }
        return values;
    }

    /// <summary>The profile for a device: <c>Devices:Assign</c>, else the one whose <c>match.model</c> names its model.</summary>
    public DeviceProfile? PickProfile(string id, string? model) =>
        profiles.Pick(Protocol, id, profile => model is not null && MiioMapping.Matches(profile, model));

    internal static void EmptyParams(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartArray();
        w.WriteEndArray();
    }

    private Action<string> Malformed(string id) => problem => malformed.Report(id, "miio", problem);

    private byte[]? TokenOf(string id) =>
        secrets.TryGet(TokenName(id), out var text) ? MiioPacketCodec.TryParseToken(text, out _) : null;

    private static Dictionary<string, string> Binding(IPEndPoint endPoint, string? model)
    {
        var b = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HostKey] = endPoint.Address.ToString(),
            [PortKey] = endPoint.Port.ToString(CultureInfo.InvariantCulture),
        };
        if (model is not null) b[ModelKey] = model;
        return b;
    }

    private static string NameOf(uint did, string? model) => model is null ? $"Xiaomi device {did}" : $"{model} {did}";

    private static IPEndPoint? EndPointOf(Device d) =>
        d.Binding.TryGetValue(HostKey, out var host) && d.Binding.TryGetValue(PortKey, out var port)
        && IPAddress.TryParse(host, out var address) && int.TryParse(port, out var p) && p is > 0 and < 65536
            ? new IPEndPoint(address, p) : null;
}
