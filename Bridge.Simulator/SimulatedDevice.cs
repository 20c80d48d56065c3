using System.Buffers;
using Bridge.Simulator.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Bridge.Simulator;

/// <summary>One simulated device: its own MQTT connection with its last will, its protocol's topics and
/// payloads, and fault injection. Subclasses hold one protocol's conventions and one device type's state.</summary>
public abstract partial class SimulatedDevice : ISimulatedTwin
{
    private static readonly byte[] Garbage = [0x7B, 0x22, 0x50, 0x4F, 0x57, 0x45, 0x52, 0x22, 0x3A, 0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x5D, 0x7D, 0x7D];

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile DeviceLink? _link;
    private string? _host;
    private volatile string? _username;
    private volatile string? _password;
    private int _port;
    private volatile bool _offline;
    private int _reconnecting;
    private int _disposed;

    private protected SimulatedDevice(string id, string protocol, string type, string name, TimeProvider? time)
    {
        Id = id;
        Protocol = protocol;
        Type = type;
        Name = name;
        Time = time ?? TimeProvider.System;
        Seed = StableSeed(id);
        Faults = new DeviceFaults(Seed);
        StartedAt = Time.GetUtcNow();
    }

    /// <summary>The id the bridge uses: the Tasmota topic <c>t</c>, or the Shelly device id.</summary>
    public string Id { get; }

    string ISimulatedTwin.DeviceId => Id;

    /// <summary><c>tasmota</c> or <c>shelly</c>.</summary>
    public string Protocol { get; }

    /// <summary>The scenario type, e.g. <c>ct_light</c>, <c>ir_hvac</c>, <c>plug</c>, <c>dimmer</c>.</summary>
    public string Type { get; }

    /// <summary>The name the device announces (Tasmota friendly name, Shelly device name).</summary>
    public string Name { get; }

    public DeviceFaults Faults { get; }

    public bool IsConnected => _link?.IsConnected == true;

    /// <summary>Left unconnected by <see cref="StartAsync(HomeNetwork, CancellationToken)"/> (switched off at the wall);
    /// <see cref="ComeBackAsync"/> brings it in later.</summary>
    public bool StartOffline { get; set; }

    /// <summary>How long the device waits (on its TimeProvider) before reconnecting after losing the broker
    /// without having been told to go offline.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Raised with the command (Tasmota) or method (Shelly) name once the device has taken a
    /// command in: after applying and answering it, after scheduling a delayed answer, or after deciding
    /// to ignore it.</summary>
    public event Action<string>? CommandReceived;

    /// <summary>Raised with true once the device has connected and announced itself, and with false when its
    /// connection is gone (told to go offline, or lost; after a loss the reconnect timer is already running).</summary>
    public event Action<bool>? ConnectionChanged;

    /// <summary>The broker account the device connects with from its next connect on (Tasmota's
    /// <c>MqttUser</c>/<c>MqttPassword</c>); null: none (anonymous). A Shelly uses its MQTT settings' user/pass
    /// when they name one.</summary>
    public void UseAccount(string? username, string? password)
    {
        _username = username;
        _password = password;
    }

    /// <summary>The user name and password for the next connect.</summary>
    private protected virtual (string? Username, string? Password) Account => (_username, _password);

    /// <summary>Current simulated state in contract terms (power "on"/"off", brightness, color_temp in kelvin,
    /// mode, fan_speed, target_temperature, current_temperature).</summary>
    public abstract IReadOnlyDictionary<string, object> Snapshot();

    private protected TimeProvider Time { get; }

    private protected DateTimeOffset StartedAt { get; }

    /// <summary>A number fixed by the device id, for repeatable per-device variation.</summary>
    private protected int Seed { get; }

    /// <summary>Guards the device's state; never held across an await.</summary>
    private protected object Gate { get; } = new();

    /// <summary>How many times the device has connected to the broker.</summary>
    private protected int ConnectCount { get; private set; }

    private protected abstract string ClientId { get; }
    private protected abstract string WillTopic { get; }
    private protected abstract byte[] WillPayload { get; }
    private protected abstract string CommandFilter { get; }
    private protected abstract MqttQualityOfServiceLevel CommandQos { get; }
    private protected abstract string MalformedTopic { get; }

    /// <summary>Publishes what the device says after each (re)connect.</summary>
    private protected abstract Task AnnounceAsync(DeviceLink link, CancellationToken ct);

    /// <summary>Applies one command and publishes the device's answer.</summary>
    private protected abstract Task HandleAsync(DeviceLink link, string topic, ReadOnlySequence<byte> payload);

    /// <summary>The command or method name for <see cref="CommandReceived"/>; null when the message is none.</summary>
    private protected abstract string? DescribeCommand(string topic, in ReadOnlySequence<byte> payload);

    /// <summary>A local button press: change state and report it as the real device does.</summary>
    private protected abstract Task OnButtonAsync(DeviceLink? link);

    private protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>Whether <see cref="DisposeAsync"/> has begun (a start still under way must not leave anything open).</summary>
    private protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Whether <see cref="StartAsync(HomeNetwork, CancellationToken)"/> connects it (a Shelly with MQTT disabled does not).</summary>
    internal virtual bool ConnectsOnStart => true;

    /// <summary>Cancelled when the device is disposed.</summary>
    private protected CancellationToken Stopping => _stopping.Token;

    /// <summary>The current connection if it is up.</summary>
    private protected DeviceLink? Link => _link is { IsConnected: true } l ? l : null;

    /// <summary>Publishes bytes that are not valid JSON (nor UTF-8) where the device's answers go.</summary>
    public Task SendMalformedAsync()
    {
        var link = Link ?? throw new InvalidOperationException($"Device '{Id}' is not connected.");
        return link.PublishAsync(MalformedTopic, Garbage);
    }

    /// <summary>Someone pressed the device's button: it toggles its output locally and reports it.</summary>
    public Task PressButtonAsync() => OnButtonAsync(Link);

    private Task OnMessageAsync(DeviceLink link, MqttApplicationMessage message)
    {
        var topic = message.Topic;
        var payload = message.Payload;
        if (Faults.ShouldDrop())
        {
            Raise(topic, payload);
            return Task.CompletedTask;
        }
        var delay = Faults.ReplyDelay;
        if (delay > TimeSpan.Zero)
        {
            var copy = new ReadOnlySequence<byte>(payload.ToArray());
            var delayed = Task.Delay(delay, Time);
            Raise(topic, payload);
            _ = HandleLaterAsync(delayed, topic, copy);
            return Task.CompletedTask;
        }
        return HandleNowAsync(link, topic, payload);
    }

    private async Task HandleNowAsync(DeviceLink link, string topic, ReadOnlySequence<byte> payload)
    {
        try
        {
            await HandleAsync(link, topic, payload).ConfigureAwait(false);
        }
        catch (Exception e) when (DeviceLink.IsConnectionLoss(e) || !link.IsConnected)
        {
            // The connection went away while answering; a real device's answer is lost the same way.
        }
        Raise(topic, payload);
    }

    private async Task HandleLaterAsync(Task delay, string topic, ReadOnlySequence<byte> payload)
    {
        await delay.ConfigureAwait(false);
        var link = Link;
        if (link is null) return;
        try
        {
            await HandleAsync(link, topic, payload).ConfigureAwait(false);
        }
        catch (Exception e) when (DeviceLink.IsConnectionLoss(e) || !link.IsConnected)
        {
            // As above: lost with the connection.
        }
    }

    private protected void RaiseCommandReceived(string name) => CommandReceived?.Invoke(name);

    private void Raise(string topic, in ReadOnlySequence<byte> payload)
    {
        var handler = CommandReceived;
        if (handler is null) return;
        if (DescribeCommand(topic, payload) is { } name) handler(name);
    }

    private static int StableSeed(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) h = (h ^ c) * 16777619u;
        return (int)h;
    }
}
