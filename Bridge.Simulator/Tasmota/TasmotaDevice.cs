using System.Buffers;
using System.Text.Json;
using Bridge.Protocols.Tasmota;
using Bridge.Simulator.Mqtt;
using MQTTnet.Protocol;

namespace Bridge.Simulator.Tasmota;

/// <summary>A Tasmota device on MQTT: LWT, native discovery, <c>cmnd/&lt;t&gt;/#</c> answered on
/// <c>stat/&lt;t&gt;/RESULT</c>, telemetry every TelePeriod on the injected TimeProvider.
/// Subclasses hold one device type's state and commands.</summary>
public abstract partial class TasmotaDevice : SimulatedDevice
{
    public const string FirmwareVersion = "14.4.1";
    private static readonly byte[] OnlinePayload = "Online"u8.ToArray();
    private static readonly byte[] OfflinePayload = "Offline"u8.ToArray();
    private static readonly byte[] OnText = "ON"u8.ToArray();
    private static readonly byte[] OffText = "OFF"u8.ToArray();

    private readonly string _commandPrefix;
    private readonly string _lwtTopic;
    private readonly string _powerTopic;
    private readonly string _stateTopic;
    private readonly string _sensorTopic;
    private readonly ITimer _teleTimer;
    private int _telePeriod = 300;
    private DateTimeOffset _lastTele;

    private protected TasmotaDevice(string topic, string type, string name, string mac, string module, TimeProvider? time)
        : base(topic, "tasmota", type, name, time)
    {
        Mac = mac;
        Module = module;
        _commandPrefix = TasmotaTopics.Default(TasmotaTopics.Command, topic, "");
        _lwtTopic = TasmotaTopics.Default(TasmotaTopics.Telemetry, topic, "LWT");
        _powerTopic = TasmotaTopics.Default(TasmotaTopics.Status, topic, "POWER");
        _stateTopic = TasmotaTopics.Default(TasmotaTopics.Telemetry, topic, "STATE");
        _sensorTopic = TasmotaTopics.Default(TasmotaTopics.Telemetry, topic, "SENSOR");
        ResultTopic = TasmotaTopics.Default(TasmotaTopics.Status, topic, "RESULT");
        TeleResultTopic = TasmotaTopics.Default(TasmotaTopics.Telemetry, topic, "RESULT");
        _lastTele = Time.GetUtcNow();
        // Devices booted at different moments: the first report comes 1..TelePeriod s after start, fixed per id.
        var first = TimeSpan.FromSeconds(1 + (uint)Seed % (uint)_telePeriod);
        _teleTimer = Time.CreateTimer(_ => OnTeleTimer(), null, first, TimeSpan.FromSeconds(_telePeriod));
    }

    /// <summary>12 upper-case hex digits.</summary>
    public string Mac { get; }

    /// <summary>Module/template name (<c>md</c> in discovery).</summary>
    public string Module { get; }

    /// <summary>Seconds between telemetry messages (Tasmota's TelePeriod; 0 = off, else 10..3600).</summary>
    public int TelePeriod
    {
        get => Volatile.Read(ref _telePeriod);
        set
        {
            var v = value == 0 ? 0 : Math.Clamp(value, 10, 3600);
            Volatile.Write(ref _telePeriod, v);
            var period = v == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(v);
            _teleTimer.Change(period, period);
        }
    }

    /// <summary>IP address reported in discovery and status.</summary>
    public string IpAddress { get; init; } = "127.0.0.1";

    private protected string ResultTopic { get; }
    private protected string TeleResultTopic { get; }
    private protected abstract int[] Relays { get; }
    private protected virtual int LightSubtype => 0;
    private protected virtual bool HasSensors => false;

    /// <summary>Runs one command under the state lock and writes its RESULT; false if the command is unknown.</summary>
    private protected abstract bool Execute(ReadOnlySpan<char> command, ReadOnlySpan<byte> arg, Utf8JsonWriter result, ref PowerReport power);

    /// <summary>Device fields of STATE (after the system fields), e.g. POWER and the light state.</summary>
    private protected virtual void WriteStateFields(Utf8JsonWriter w)
    {
    }

    /// <summary>Sensor objects of SENSOR (after Time), e.g. <c>"DS18B20":{...}</c>.</summary>
    private protected virtual void WriteSensorFields(Utf8JsonWriter w)
    {
    }

    /// <summary>Advances the simulated physics by <paramref name="elapsed"/> (called under the state lock before telemetry).</summary>
    private protected virtual void Advance(TimeSpan elapsed)
    {
    }

    /// <summary>A button press under the state lock: change state, write the report; returns its topic.</summary>
    private protected abstract string Press(Utf8JsonWriter report, ref PowerReport power);

    private protected override string ClientId => Id;
    private protected override string WillTopic => _lwtTopic;
    private protected override byte[] WillPayload => OfflinePayload;
    private protected override string CommandFilter => _commandPrefix + "#";
    private protected override MqttQualityOfServiceLevel CommandQos => MqttQualityOfServiceLevel.AtMostOnce;
    private protected override string MalformedTopic => ResultTopic;

    private protected override async Task AnnounceAsync(DeviceLink link, CancellationToken ct)
    {
        await link.PublishAsync(_lwtTopic, OnlinePayload, MqttQualityOfServiceLevel.AtLeastOnce, retain: true).ConfigureAwait(false);
        using var buf = JsonBuffer.Rent();
        // SetOption19 1: Home Assistant's discovery instead of Tasmota's own, which the bridge does not read.
        if (ActiveMqttSettings.HomeAssistantDiscovery)
        {
            await PublishTelemetryAsync(link).ConfigureAwait(false);
            return;
        }
        TasmotaDiscoveryConfigWriter.Write(DiscoveryConfig(), buf.Writer);
        await link.PublishAsync(TasmotaDiscoveryTopics.Config(Mac), buf.Written, MqttQualityOfServiceLevel.AtLeastOnce, retain: true).ConfigureAwait(false);
        if (HasSensors)
        {
            buf.Restart();
            lock (Gate)
            {
                buf.Writer.WriteStartObject();
                buf.Writer.WriteStartObject("sn");
                WriteSensorBody(buf.Writer);
                buf.Writer.WriteEndObject();
                buf.Writer.WriteNumber("ver", 1);
                buf.Writer.WriteEndObject();
            }
            await link.PublishAsync(TasmotaDiscoveryTopics.Sensors(Mac), buf.Written, MqttQualityOfServiceLevel.AtLeastOnce, retain: true).ConfigureAwait(false);
        }
        await PublishTelemetryAsync(link).ConfigureAwait(false);
    }

    /// <summary>The discovery record this device announces.</summary>
    public TasmotaDiscoveryConfig DiscoveryConfig() => new()
    {
        Mac = Mac,
        Topic = Id,
        Ip = IpAddress,
        DeviceName = Name,
        FriendlyName = Name,
        Hostname = Hostname,
        Module = Module,
        Version = FirmwareVersion,
        Relays = Relays,
        LightSubtype = LightSubtype,
    };

    private protected override string? DescribeCommand(string topic, in ReadOnlySequence<byte> payload) =>
        topic.StartsWith(_commandPrefix, StringComparison.Ordinal) ? topic[_commandPrefix.Length..] : null;

    private protected override async Task HandleAsync(DeviceLink link, string topic, ReadOnlySequence<byte> payload)
    {
        if (!topic.StartsWith(_commandPrefix, StringComparison.Ordinal) || topic.IndexOf('/', _commandPrefix.Length) >= 0) return;
        using var buf = JsonBuffer.Rent();
        var power = PowerReport.None;
        var replyTopic = ResultTopic;
        var teleAfter = false;
        {
            var raw = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
            var arg = TasmotaArgs.Normalize(raw);
            var command = topic.AsSpan(_commandPrefix.Length);
            var w = buf.Writer;
            lock (Gate)
            {
                if (TasmotaArgs.Is(command, "STATE")) WriteState(w);
                else if (TasmotaArgs.Is(command, "STATUS")) replyTopic = WriteStatus(arg, w);
                else if (TasmotaArgs.Is(command, "TELEPERIOD")) teleAfter = ExecuteTelePeriod(arg, w);
                else if (!Execute(command, arg, w, ref power))
                {
                    w.WriteStartObject();
                    w.WriteString("Command", "Unknown");
                    w.WriteEndObject();
                }
            }
        }
        await link.PublishAsync(replyTopic, buf.Written).ConfigureAwait(false);
        if (power != PowerReport.None)
            await link.PublishAsync(_powerTopic, power == PowerReport.On ? OnText : OffText).ConfigureAwait(false);
        if (teleAfter) await PublishTelemetryAsync(link).ConfigureAwait(false);
    }

    private protected override async Task OnButtonAsync(DeviceLink? link)
    {
        using var buf = JsonBuffer.Rent();
        var power = PowerReport.None;
        string topic;
        lock (Gate) topic = Press(buf.Writer, ref power);
        if (link is null) return;
        await link.PublishAsync(topic, buf.Written).ConfigureAwait(false);
        if (power != PowerReport.None)
            await link.PublishAsync(_powerTopic, power == PowerReport.On ? OnText : OffText).ConfigureAwait(false);
    }

    private bool ExecuteTelePeriod(ReadOnlySpan<byte> arg, Utf8JsonWriter w)
    {
        var changed = TasmotaArgs.TryInt(arg, out var seconds);
        if (changed) TelePeriod = seconds;
        w.WriteStartObject();
        w.WriteNumber("TelePeriod", TelePeriod);
        w.WriteEndObject();
        return changed;
    }

    /// <summary>Relay states as Tasmota's Status Power bit mask.</summary>
    private protected virtual int PowerBits() => 0;

    private void OnTeleTimer()
    {
        lock (Gate)
        {
            var now = Time.GetUtcNow();
            Advance(now - _lastTele);
            _lastTele = now;
        }
        if (Link is { } link) _ = PublishTelemetryObservedAsync(link);
    }

    private async Task PublishTelemetryObservedAsync(DeviceLink link)
    {
        try
        {
            await PublishTelemetryAsync(link).ConfigureAwait(false);
        }
        catch (Exception e) when (DeviceLink.IsConnectionLoss(e) || !link.IsConnected)
        {
            // Telemetry lost with the connection, as on a real device.
        }
    }

    /// <summary>Publishes <c>tele/&lt;t&gt;/STATE</c> and, for devices with sensors, <c>tele/&lt;t&gt;/SENSOR</c>.</summary>
    private protected async Task PublishTelemetryAsync(DeviceLink link)
    {
        using var buf = JsonBuffer.Rent();
        lock (Gate) WriteState(buf.Writer);
        await link.PublishAsync(_stateTopic, buf.Written).ConfigureAwait(false);
        if (!HasSensors) return;
        buf.Restart();
        lock (Gate)
        {
            buf.Writer.WriteStartObject();
            WriteSensorBody(buf.Writer);
            buf.Writer.WriteEndObject();
        }
        await link.PublishAsync(_sensorTopic, buf.Written).ConfigureAwait(false);
    }

    private protected override ValueTask DisposeCoreAsync() => _teleTimer.DisposeAsync();
}
