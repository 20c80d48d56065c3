using System.Text;
using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Protocols.Shelly;
using Bridge.Service.Devices;
using Bridge.Service.Drivers.Mapping;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Listens to Shelly Gen2+ devices: <c>&lt;prefix&gt;/online</c> finds and tracks them
/// (identified by RPC: GetDeviceInfo, GetStatus), notifications carry their state.</summary>
public sealed class ShellyIngress(
    IMqttLink mqtt,
    ShellyRpcClient rpc,
    DeviceRegistry registry,
    ProfileMatcher profiles,
    MalformedPayloadLog malformed,
    ILogger<ShellyIngress> log) : IHostedService
{
    private static readonly TimeSpan IdentifyTimeout = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        mqtt.Subscribe(ShellyTopics.OnlineFilter, OnOnline);
        mqtt.Subscribe(ShellyTopics.EventsFilter, OnEvent);
        mqtt.Subscribe(ShellyTopics.Replies(rpc.Source), OnReply);
        mqtt.ConnectionChanged += connected =>
        {
            if (connected) return;
            foreach (var d in registry.All())
                if (d.Protocol == ShellyDriver.DriverName) registry.SetOnline(d, false);
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Device? ByPrefix(string prefix)
    {
        if (registry.TryGet(prefix, out var byId) && byId.Protocol == ShellyDriver.DriverName) return byId;
        foreach (var d in registry.All())
            if (d.Protocol == ShellyDriver.DriverName && d.Binding.GetValueOrDefault(ShellyDriver.PrefixKey) == prefix) return d;
        return null;
    }

    private void OnOnline(MqttMessage message)
    {
        if (!ShellyTopics.TryParseOnline(message.Topic, out var prefix) || message.Payload.Length > 16) return;
        var text = Encoding.UTF8.GetString(message.Payload).Trim();
        if (text == "false")
        {
            if (ByPrefix(prefix) is { } gone) registry.SetOnline(gone, false);
        }
        else if (text == "true")
        {
            _ = IdentifyAsync(prefix);
        }
    }

    /// <summary>Asks the device who it is and what it has, then adds it (or refreshes it).</summary>
    private async Task IdentifyAsync(string prefix)
    {
        try
        {
            string id, name, app;
            using (var info = await rpc.CallAsync<object?>(prefix, ShellyRpc.ShellyGetDeviceInfo, null, null, IdentifyTimeout, CancellationToken.None).ConfigureAwait(false))
            {
                var r = info.Result;
                id = MappingSection.Str(r, "id") ?? prefix;
                name = MappingSection.Str(r, "name") ?? id;
                app = MappingSection.Str(r, "app") ?? "";
            }
            using var status = await rpc.CallAsync<object?>(prefix, ShellyRpc.ShellyGetStatus, null, null, IdentifyTimeout, CancellationToken.None, from: id).ConfigureAwait(false);
            var profile = PickProfile(id, app, status.Result);
            if (profile is null)
            {
                log.LogWarning("Shelly device {DeviceId} ({App}) matches no profile; assign one with Devices:Assign:{DeviceId}=<profile>", id, app, id);
                return;
            }
            var binding = new Dictionary<string, string>(StringComparer.Ordinal) { [ShellyDriver.PrefixKey] = prefix, ["app"] = app };
            var device = registry.AddOrUpdate(id, name, profile, binding);
            registry.Report(device, (status.Result, ShellyMapping.For(profile)), ReadStatus);
            registry.SetOnline(device, true);
        }
        catch (Exception e)
        {
            log.LogWarning("Shelly device at {Prefix} announced itself but could not be identified: {Reason}", prefix, e.Message);
        }
    }

    private DeviceProfile? PickProfile(string id, string app, JsonElement status) =>
        profiles.Pick(ShellyDriver.DriverName, id, (key, value) => key switch
        {
            "component" => value.ValueKind == JsonValueKind.String && status.ValueKind == JsonValueKind.Object && status.TryGetProperty(value.GetString()!, out _),
            "app" => MatchValues.OneOf(value, app, StringComparison.OrdinalIgnoreCase),
            _ => false,
        });

    private static bool ReadStatus((JsonElement Status, ShellyMapping Mapping) m, List<KeyValuePair<string, StateValue>> into)
    {
        ShellyStatusReader.Read(m.Status, m.Mapping, into);
        return true;
    }

    private void OnEvent(MqttMessage message)
    {
        if (!ShellyTopics.TryParseEvents(message.Topic, out var prefix)) return;
        var device = ByPrefix(prefix);
        if (device is null) return;
        if (!ShellyFrame.TryParse(message.Payload, out var frame, out var error))
        {
            malformed.Report(device.Id, message.Topic, error);
            return;
        }
        using (frame)
        {
            if (frame!.Method is not (ShellyRpc.NotifyStatus or ShellyRpc.NotifyFullStatus)) return;
            registry.Report(device, (frame.Params, ShellyMapping.For(device.Profile)), ReadStatus, deviceTalked: true);
        }
    }

    private void OnReply(MqttMessage message)
    {
        if (!ShellyFrame.TryParse(message.Payload, out var frame, out var error))
        {
            malformed.Report("shelly replies", message.Topic, error);
            return;
        }
        if (!rpc.Deliver(frame!)) frame!.Dispose();
    }
}
