using System.Text.Json;
using Bridge.Simulator.Mqtt;

namespace Bridge.Simulator.Shelly;

/// <summary>What a Shelly does beyond its component: its MQTT settings (MQTT.GetConfig/SetConfig, in
/// effect after Shelly.Reboot), rebooting, and the local RPC channel (HTTP) that reaches it before it
/// is on MQTT at all.</summary>
public abstract partial class ShellyDevice
{
    private volatile ShellyMqttConfig _storedMqtt = new() { Enable = true };
    private volatile ShellyMqttConfig _activeMqtt = new() { Enable = true };
    private volatile TopicSet _topics;
    private int _rebootRequested;

    /// <summary>The MQTT settings as MQTT.GetConfig shows them (after a SetConfig: before the reboot too).</summary>
    public ShellyMqttConfig MqttConfig => _storedMqtt;

    public ShellyRpcFaults RpcFaults { get; } = new();

    /// <summary>Whether starting it in a home (<see cref="StartAsync"/>) also opens its local RPC over HTTP.</summary>
    public bool ServesLocalRpc { get; set; }

    /// <summary>How long a reboot keeps the device away (waited on its TimeProvider).</summary>
    public TimeSpan RebootDuration { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How many reboots have completed.</summary>
    public int Reboots { get; private set; }

    /// <summary>Raised after a reboot, once the device runs with its stored settings (and has connected, if MQTT is on).</summary>
    public event Action? Rebooted;

    internal override bool ConnectsOnStart => _activeMqtt.Enable;

    /// <summary>Fresh out of the box: MQTT off, so it can be found (mDNS, local RPC) but not controlled until adopted.</summary>
    public void DisableMqtt()
    {
        _storedMqtt = _activeMqtt = new ShellyMqttConfig { Enable = false };
        _topics = new TopicSet(Id);
    }

    /// <summary>One local RPC (HTTP): faults first, then the method. Null when the device leaves it unanswered.</summary>
    internal async Task<LocalRpcResult?> InvokeLocalAsync(string method, JsonElement p, CancellationToken ct)
    {
        RaiseCommandReceived(method);
        if (Faults.ShouldDrop()) return null;
        if (Faults.ReplyDelay > TimeSpan.Zero) await Task.Delay(Faults.ReplyDelay, Time, ct).ConfigureAwait(false);
        if (RpcFaults.ErrorReplies) return new LocalRpcResult(null, new RpcError(RpcError.Unavailable, "Simulated failure: device busy"));
        var change = new ComponentChange { Source = "HTTP_in" };
        using var body = JsonBuffer.Rent();
        RpcError? error;
        lock (Gate) error = Invoke(method, p, body.Writer, ref change);
        var result = error is null ? new LocalRpcResult(body.Written.ToArray(), null) : new LocalRpcResult(null, error);
        if (change.Any && Link is { } link) await PublishNotifyAsync(link, change).ConfigureAwait(false);
        StartRebootIfRequested();
        return result;
    }

    /// <summary>MQTT.GetConfig, MQTT.SetConfig, MQTT.GetStatus, Shelly.Reboot; false for other methods.</summary>
    private bool TryInvokeSystem(string method, JsonElement p, Utf8JsonWriter w, out RpcError? error)
    {
        error = null;
        if (method.Equals("MQTT.GetConfig", StringComparison.OrdinalIgnoreCase)) _storedMqtt.Write(w);
        else if (method.Equals("MQTT.SetConfig", StringComparison.OrdinalIgnoreCase))
        {
            var config = p.ValueKind == JsonValueKind.Object && p.TryGetProperty("config", out var c) ? c : default;
            var next = _storedMqtt.With(config, out error);
            if (error is not null) return true;
            _storedMqtt = next;
            w.WriteStartObject();
            w.WriteBoolean("restart_required", true);
            w.WriteEndObject();
        }
        else if (method.Equals("MQTT.GetStatus", StringComparison.OrdinalIgnoreCase))
        {
            w.WriteStartObject();
            w.WriteBoolean("connected", IsConnected);
            w.WriteEndObject();
        }
        else if (method.Equals("Shelly.Reboot", StringComparison.OrdinalIgnoreCase))
        {
            // Answered first, as a real device does; the restart follows the reply.
            if (!RpcFaults.RefuseReboot) Volatile.Write(ref _rebootRequested, 1);
            w.WriteNullValue();
        }
        else return false;
        return true;
    }

    private void StartRebootIfRequested()
    {
        if (Interlocked.Exchange(ref _rebootRequested, 0) == 1) _ = RebootAsync();
    }

    /// <summary>Drops off MQTT abruptly (the broker publishes the will), stays away for <see cref="RebootDuration"/>,
    /// then runs with the stored settings: connects to the configured broker, retrying until it is there.</summary>
    private async Task RebootAsync()
    {
        try
        {
            await GoOfflineAsync().ConfigureAwait(false);
            await Task.Delay(RebootDuration, Time, Stopping).ConfigureAwait(false);
            var config = _activeMqtt = _storedMqtt;
            _topics = new TopicSet(config.TopicPrefix ?? Id);
            Reboots++;
            if (config.Enable && config.TryGetBroker(out var host, out var port))
            {
                while (true)
                {
                    try
                    {
                        await ConnectAsync(host, port, Stopping).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception) when (!Stopping.IsCancellationRequested)
                    {
                        await Task.Delay(ReconnectDelay, Time, Stopping).ConfigureAwait(false);
                    }
                }
            }
            Rebooted?.Invoke();
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>A local RPC's outcome: the result JSON, or the device's error.</summary>
internal sealed record LocalRpcResult(byte[]? Result, RpcError? Error);
