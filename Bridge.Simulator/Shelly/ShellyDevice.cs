using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Bridge.Protocols.Shelly;
using Bridge.Simulator.Mqtt;
using MQTTnet.Protocol;

namespace Bridge.Simulator.Shelly;

/// <summary>A Shelly Gen2+ device on MQTT: <c>&lt;id&gt;/online</c> with its will, JSON-RPC requests on
/// <c>&lt;id&gt;/rpc</c> answered on <c>&lt;src&gt;/rpc</c>, NotifyStatus with the changed fields on
/// <c>&lt;id&gt;/events/rpc</c>. Subclasses hold one component (switch:0, light:0) and its methods.</summary>
public abstract partial class ShellyDevice : SimulatedDevice
{
    private static readonly byte[] TrueText = "true"u8.ToArray();
    private static readonly byte[] FalseText = "false"u8.ToArray();

    private ReplyRoute _lastReplyTo = new("", "");

    private protected ShellyDevice(string deviceId, string type, string name, string model, string app, int gen, TimeProvider? time)
        : base(deviceId, "shelly", type, name, time)
    {
        Model = model;
        App = app;
        Generation = gen;
        Mac = MacFromId(deviceId);
        _topics = new TopicSet(deviceId);
    }

    public string Mac { get; }
    public string Model { get; }
    public string App { get; }
    public int Generation { get; }
    public string FirmwareId { get; init; } = "20241011-114455/1.4.4-g6d2a586";
    public string Version { get; init; } = "1.4.4";
    public string IpAddress { get; init; } = "127.0.0.1";

    /// <summary>The device's one controllable component, e.g. <c>switch:0</c>.</summary>
    private protected abstract string Component { get; }

    /// <summary>Members of the component's status object (id, source, output, ...).</summary>
    private protected abstract void WriteComponentStatus(Utf8JsonWriter w);

    /// <summary>Members of the component's config object.</summary>
    private protected abstract void WriteComponentConfig(Utf8JsonWriter w);

    /// <summary>Runs a component method under the state lock. Returns false if the device has no such method;
    /// otherwise either sets <paramref name="error"/> or writes the whole result object.</summary>
    private protected abstract bool TryInvoke(string method, JsonElement p, Utf8JsonWriter result, ref ComponentChange change, out RpcError? error);

    /// <summary>Members of the component object in a NotifyStatus: id, the changed fields, source.</summary>
    private protected abstract void WriteChange(Utf8JsonWriter w, in ComponentChange change);

    /// <summary>The local button toggles the output.</summary>
    private protected abstract void Press(ref ComponentChange change);

    private protected override string ClientId => _activeMqtt.ClientId ?? Id;
    private protected override (string? Username, string? Password) Account =>
        _activeMqtt.User is { Length: > 0 } user ? (user, _activeMqtt.Password) : base.Account;
    private protected override string WillTopic => _topics.Online;
    private protected override byte[] WillPayload => FalseText;
    private protected override string CommandFilter => _topics.Rpc;
    private protected override MqttQualityOfServiceLevel CommandQos => MqttQualityOfServiceLevel.AtLeastOnce;
    private protected override string MalformedTopic => _topics.Events;

    private protected override Task AnnounceAsync(DeviceLink link, CancellationToken ct) =>
        link.PublishAsync(_topics.Online, TrueText, MqttQualityOfServiceLevel.AtLeastOnce, retain: true);

    private protected override string? DescribeCommand(string topic, in ReadOnlySequence<byte> payload)
    {
        if (!string.Equals(topic, _topics.Rpc, StringComparison.Ordinal)) return null;
        var r = new Utf8JsonReader(payload);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return "";
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var isMethod = r.ValueTextEquals("method"u8);
                r.Read();
                if (isMethod && r.TokenType == JsonTokenType.String) return r.GetString();
                r.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return "";
    }

    private protected override async Task HandleAsync(DeviceLink link, string topic, ReadOnlySequence<byte> payload)
    {
        if (!string.Equals(topic, _topics.Rpc, StringComparison.Ordinal)) return;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return; // A device cannot answer what it cannot read: no id, no src.
        }
        var change = new ComponentChange { Source = "MQTT" };
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
                || !root.TryGetProperty("src", out var srcJson) || srcJson.ValueKind != JsonValueKind.String)
                return;
            var src = srcJson.GetString()!;
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var p = root.TryGetProperty("params", out var pp) ? pp : default;
            using var body = JsonBuffer.Rent();
            RpcError? error;
            lock (Gate) error = method is null ? RpcError.Missing("method") : Invoke(method, p, body.Writer, ref change);
            using var reply = JsonBuffer.Rent();
            var w = reply.Writer;
            w.WriteStartObject();
            w.WritePropertyName("id");
            id.WriteTo(w);
            w.WriteString("src", Id);
            w.WriteString("dst", src);
            if (error is { } e)
            {
                w.WriteStartObject("error");
                w.WriteNumber("code", e.Code);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }
            else
            {
                w.WritePropertyName("result");
                w.WriteRawValue(body.Written.Span, skipInputValidation: true);
            }
            w.WriteEndObject();
            await link.PublishAsync(ReplyTopic(src), reply.Written, MqttQualityOfServiceLevel.AtLeastOnce).ConfigureAwait(false);
        }
        if (change.Any) await PublishNotifyAsync(link, change).ConfigureAwait(false);
        StartRebootIfRequested();
    }

    private protected override async Task OnButtonAsync(DeviceLink? link)
    {
        var change = new ComponentChange { Source = "button" };
        lock (Gate) Press(ref change);
        if (link is not null && change.Any) await PublishNotifyAsync(link, change).ConfigureAwait(false);
    }

    private RpcError? Invoke(string method, JsonElement p, Utf8JsonWriter w, ref ComponentChange change)
    {
        if (method.Equals(ShellyRpc.ShellyGetDeviceInfo, StringComparison.OrdinalIgnoreCase)) WriteDeviceInfo(w);
        else if (method.Equals(ShellyRpc.ShellyGetStatus, StringComparison.OrdinalIgnoreCase)) WriteStatus(w);
        else if (method.Equals("Shelly.GetConfig", StringComparison.OrdinalIgnoreCase)) WriteConfig(w);
        else if (method.Equals("Sys.GetStatus", StringComparison.OrdinalIgnoreCase)) WriteSys(w);
        else if (TryInvokeSystem(method, p, w, out var systemError)) return systemError;
        else if (TryInvoke(method, p, w, ref change, out var error)) return error;
        else return RpcError.UnknownMethod(method);
        return null;
    }

    private protected async Task PublishNotifyAsync(DeviceLink link, ComponentChange change)
    {
        using var buf = JsonBuffer.Rent();
        var w = buf.Writer;
        w.WriteStartObject();
        w.WriteString("src", Id);
        w.WriteString("dst", _topics.EventsDst);
        w.WriteString("method", ShellyRpc.NotifyStatus);
        w.WriteStartObject("params");
        w.WriteNumber("ts", Math.Round(Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, 2));
        w.WriteStartObject(Component);
        lock (Gate) WriteChange(w, change);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        await link.PublishAsync(_topics.Events, buf.Written, MqttQualityOfServiceLevel.AtLeastOnce).ConfigureAwait(false);
    }

    private string ReplyTopic(string src)
    {
        var last = Volatile.Read(ref _lastReplyTo);
        if (string.Equals(last.Src, src, StringComparison.Ordinal)) return last.Topic;
        var topic = ShellyTopics.Replies(src);
        Volatile.Write(ref _lastReplyTo, new ReplyRoute(src, topic));
        return topic;
    }

    private sealed record ReplyRoute(string Src, string Topic);

    /// <summary>The device's topics under one prefix (MQTT.topic_prefix, by default the device id).</summary>
    private sealed record TopicSet(string Prefix)
    {
        public string Rpc { get; } = ShellyTopics.Rpc(Prefix);
        public string Events { get; } = ShellyTopics.Events(Prefix);
        public string Online { get; } = ShellyTopics.Online(Prefix);
        public string EventsDst { get; } = Prefix + "/events";
    }

    /// <summary><c>shellyplusplugs-e86beae8b1c0</c> → <c>E86BEAE8B1C0</c>.</summary>
    private static string MacFromId(string id)
    {
        var dash = id.LastIndexOf('-');
        var tail = dash >= 0 ? id[(dash + 1)..] : "";
        return MacAddress.IsValid(tail) ? tail.ToUpperInvariant() : MacAddress.Stable(id);
    }
}
