using System.Collections.Concurrent;
using System.Text;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;
using Bridge.Service.Devices;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Listens to Tasmota devices: native discovery adds them, LWT tracks availability,
/// RESULT, STATE, SENSOR and STATUS10 carry their state. (SetOption4 1, which moves RESULT to
/// stat/&lt;t&gt;/&lt;COMMAND&gt;, is not supported.)</summary>
public sealed class TasmotaIngress(
    IMqttLink mqtt,
    DeviceRegistry registry,
    ProfileMatcher profiles,
    MalformedPayloadLog malformed,
    ILogger<TasmotaIngress> log) : IHostedService
{
    // Retained LWTs can arrive before the discovery config; keep the last one per topic.
    private readonly ConcurrentDictionary<string, string> _lastWill = new(StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        mqtt.Subscribe(TasmotaTopics.DiscoveryConfigFilter, OnDiscovery);
        mqtt.Subscribe("tele/+/LWT", OnLastWill);
        // RESULT carries everything the plain stat/<t>/POWER repeats; taking only RESULT halves the
        // broker's deliveries per command. STATUS10 answers our sensor query.
        mqtt.Subscribe("stat/+/RESULT", OnReport);
        mqtt.Subscribe("stat/+/STATUS10", OnReport);
        mqtt.Subscribe("tele/+/STATE", OnReport);
        mqtt.Subscribe("tele/+/SENSOR", OnReport);
        mqtt.ConnectionChanged += OnConnectionChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnConnectionChanged(bool connected)
    {
        if (connected) return;
        // Without the broker nothing can reach these devices; the retained LWTs bring them back.
        foreach (var d in registry.All())
            if (d.Protocol == TasmotaDriver.DriverName) registry.SetOnline(d, false);
        _lastWill.Clear();
    }

    private void OnDiscovery(MqttMessage message)
    {
        if (!TasmotaTopics.TryParseDiscovery(message.Topic, out var mac)) return;
        if (!TasmotaDiscoveryConfig.TryParse(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(message.Payload), out var config, out var error))
        {
            if (!message.Payload.IsEmpty) malformed.Report("tasmota " + mac, message.Topic, error);
            return;
        }
        if (config!.FullTopic != TasmotaTopics.DefaultFullTopic)
        {
            log.LogWarning("Tasmota device {Topic} uses FullTopic {FullTopic}; only {Default} is supported, device skipped",
                config.Topic, config.FullTopic, TasmotaTopics.DefaultFullTopic);
            return;
        }
        var profile = PickProfile(config);
        if (profile is null)
        {
            log.LogWarning("Tasmota device {Topic} ({Module}) matches no profile; assign one with Devices:Assign:{Topic}=<profile>",
                config.Topic, config.Module, config.Topic);
            return;
        }
        var binding = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TasmotaDriver.TopicKey] = config.Topic,
            [TasmotaDriver.CommandPrefixKey] = config.CommandPrefix,
            ["mac"] = config.Mac,
        };
        if (config.Ip is not null) binding["ip"] = config.Ip;
        var name = config.FriendlyName ?? config.DeviceName ?? config.Topic;
        var device = registry.AddOrUpdate(config.Topic, name, profile, binding);
        if (_lastWill.TryGetValue(config.Topic, out var will)) ApplyWill(device, will);
        if (device.Online) _ = QueryStateAsync(device);
    }

    private DeviceProfile? PickProfile(TasmotaDiscoveryConfig config) =>
        profiles.Pick(TasmotaDriver.DriverName, config.Topic, p => TasmotaProfileMatcher.Matches(p, config));

    private void OnLastWill(MqttMessage message)
    {
        if (!TasmotaTopics.TryParseDefault(message.Topic, out _, out var topic, out _)) return;
        var text = message.Payload.Length <= 64 ? Encoding.UTF8.GetString(message.Payload).Trim() : "";
        _lastWill[topic] = text;
        if (registry.TryGet(topic, out var device) && device.Protocol == TasmotaDriver.DriverName)
        {
            var wasOnline = device.Online;
            ApplyWill(device, text);
            if (!wasOnline && device.Online) _ = QueryStateAsync(device);
        }
    }

    private void ApplyWill(Device device, string text)
    {
        if (string.Equals(text, "Online", StringComparison.OrdinalIgnoreCase)) registry.SetOnline(device, true);
        else if (string.Equals(text, "Offline", StringComparison.OrdinalIgnoreCase)) registry.SetOnline(device, false);
    }

    private void OnReport(MqttMessage message)
    {
        if (!TasmotaTopics.TryParseDefault(message.Topic, out _, out var topic, out _)) return;
        if (!registry.TryGet(topic, out var device) || device.Protocol != TasmotaDriver.DriverName) return;
        // A device that talks is up, even if its retained LWT was lost.
        if (!registry.Report(device, (message.Payload, Mapping: TasmotaMapping.For(device.Profile)),
                static (m, into) => TasmotaReportReader.TryReadJson(m.Payload, m.Mapping, into), deviceTalked: !message.Retained))
            malformed.Report(device.Id, message.Topic, "not a JSON object");
    }

    /// <summary>Asks for the current value of every settable command (an empty payload is a query).</summary>
    private async Task QueryStateAsync(Device device)
    {
        try
        {
            var mapping = TasmotaMapping.For(device.Profile);
            var prefix = device.Binding.GetValueOrDefault(TasmotaDriver.CommandPrefixKey, TasmotaTopics.Command);
            foreach (var command in mapping.Capabilities.Where(c => c.Command is not null && c.Field is null).Select(c => c.Command!).Distinct())
                await mqtt.PublishAsync(TasmotaTopics.Default(prefix, device.Id, command), ReadOnlyMemory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
            if (mapping.Capabilities.Any(c => c.SensorKey is not null))
                await mqtt.PublishAsync(TasmotaTopics.Default(prefix, device.Id, "Status"), "10"u8.ToArray(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.LogDebug(e, "State query for {DeviceId} failed", device.Id);
        }
    }
}
