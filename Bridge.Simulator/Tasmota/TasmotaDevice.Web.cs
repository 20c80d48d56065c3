using System.Globalization;
using System.Text;
using System.Text.Json;
using Bridge.Simulator.Mqtt;

namespace Bridge.Simulator.Tasmota;

/// <summary>What a Tasmota does for its HTTP command API (PROTOCOLS.md, "Tasmota in AP mode and its HTTP
/// command API"): one command line at a time, <c>Backlog</c> run afterwards one entry per
/// <see cref="BacklogDelay"/>, the MQTT settings stored and used after the restart they cause (which
/// waits for the backlog to finish, as the firmware's restart flag does), and the web password.</summary>
public abstract partial class TasmotaDevice
{
    private static readonly byte[] EmptyAnswer = "{}"u8.ToArray();
    private static readonly HashSet<string> SettingCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "MqttHost", "MqttPort", "MqttUser", "MqttPassword", "SetOption3", "SetOption19", "Topic", "FullTopic", "WebPassword", "Hostname", "Restart",
    };
    private volatile TasmotaMqttSettings _storedMqtt = new();
    private volatile TasmotaMqttSettings _activeMqtt = new();
    private volatile string _webPassword = "";
    private string? _hostname;
    private int _restartRequested;
    private int _backlogs;
    private int _restarts;

    /// <summary>The MQTT settings as the commands left them (in effect after the next restart).</summary>
    public TasmotaMqttSettings MqttSettings => _storedMqtt;

    /// <summary>The MQTT settings the device runs with.</summary>
    public TasmotaMqttSettings ActiveMqttSettings => _activeMqtt;

    /// <summary>Tasmota's <c>WebPassword</c>: when set, every <c>/cm</c> request needs <c>user=admin</c> and it.</summary>
    public string WebPassword
    {
        get => _webPassword;
        set => _webPassword = value ?? "";
    }

    /// <summary>The host name (Tasmota's <c>tasmota-XXXXXX-NNNN</c> on a fresh device); the topic when not given.</summary>
    public string Hostname
    {
        get => _hostname ?? Id;
        init => _hostname = value;
    }

    public TasmotaWebFaults WebFaults { get; } = new();

    /// <summary>How long a restart keeps the device away (waited on its TimeProvider).</summary>
    public TimeSpan RestartDuration { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The pause before each <c>Backlog</c> entry (Tasmota's BacklogDelay, 200 ms by default).</summary>
    public TimeSpan BacklogDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many restarts have completed.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Raised once a restart is over and the device runs with its stored settings (before it has
    /// reached a broker, which <see cref="SimulatedDevice.ConnectionChanged"/> tells).</summary>
    public event Action? Restarted;

    /// <summary>Tasmota's default host name for a MAC: <c>tasmota-</c>, the MAC's last 6 hex digits, and a
    /// 4-digit number from its last 13 bits.</summary>
    public static string DefaultHostname(string mac) =>
        $"tasmota-{mac[^6..].ToUpperInvariant()}-{(int.Parse(mac[^4..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x1FFF):D4}";

    /// <summary>Tasmota's default topic for a MAC: <c>tasmota_</c> and its last 6 hex digits.</summary>
    public static string DefaultTopic(string mac) => "tasmota_" + mac[^6..].ToUpperInvariant();

    /// <summary>Runs one <c>cmnd</c> as the HTTP command API does and returns its JSON answer. A
    /// <c>Backlog</c> is answered <c>{}</c> at once and runs afterwards.</summary>
    internal async Task<byte[]> RunWebCommandAsync(string line, CancellationToken ct)
    {
        RaiseCommandReceived(line.Split(' ', 2)[0]);
        var (command, arg) = Split(line);
        if (command.StartsWith("Backlog", StringComparison.OrdinalIgnoreCase) && command.Length <= 8)
        {
            var entries = arg.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Interlocked.Increment(ref _backlogs);
            _ = RunBacklogAsync(entries, command.Length == 8 && command[7] == '0' ? TimeSpan.Zero : BacklogDelay);
            return EmptyAnswer;
        }
        var answer = RunCommand(command, arg);
        await PublishResultAsync(answer).ConfigureAwait(false);
        if (Volatile.Read(ref _backlogs) == 0) StartRestartIfRequested();
        return answer;
    }

    private async Task RunBacklogAsync(string[] entries, TimeSpan delay)
    {
        try
        {
            foreach (var entry in entries)
            {
                if (delay > TimeSpan.Zero) await Task.Delay(delay, Time, Stopping).ConfigureAwait(false);
                var (command, arg) = Split(entry);
                await PublishResultAsync(RunCommand(command, arg)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _backlogs);
        }
        if (Volatile.Read(ref _backlogs) == 0) StartRestartIfRequested();
    }

    private static (string Command, string Arg) Split(string line)
    {
        line = line.Trim();
        var space = line.IndexOf(' ');
        return space < 0 ? (line, "") : (line[..space], line[(space + 1)..].Trim());
    }

    private byte[] RunCommand(string command, string arg)
    {
        using var buf = JsonBuffer.Rent();
        var w = buf.Writer;
        var power = PowerReport.None;
        var bytes = TasmotaArgs.Normalize(Encoding.UTF8.GetBytes(arg));
        lock (Gate)
        {
            if (TryRunSetting(command, arg, w)) { }
            else if (TasmotaArgs.Is(command, "STATE")) WriteState(w);
            else if (TasmotaArgs.Is(command, "STATUS")) WriteStatus(bytes, w);
            else if (!Execute(command, bytes, w, ref power))
            {
                w.WriteStartObject();
                w.WriteString("Command", "Unknown");
                w.WriteEndObject();
            }
        }
        return buf.Written.ToArray();
    }

    /// <summary>A command's answer also goes to MQTT when the device is on a broker, as on a real device.</summary>
    private async Task PublishResultAsync(byte[] answer)
    {
        if (Link is not { } link) return;
        try
        {
            await link.PublishAsync(ResultTopic, answer).ConfigureAwait(false);
        }
        catch (Exception e) when (DeviceLink.IsConnectionLoss(e) || !link.IsConnected)
        {
        }
    }

    /// <summary>The settings commands; false for any other. Under the state lock.</summary>
    private bool TryRunSetting(string command, string arg, Utf8JsonWriter w)
    {
        if (!SettingCommands.Contains(command)) return false;
        var s = _storedMqtt;
        var set = arg.Length > 0;
        w.WriteStartObject();
        switch (command.ToUpperInvariant())
        {
            case "MQTTHOST":
                if (set) Store(s with { Host = arg });
                w.WriteString("MqttHost", _storedMqtt.Host);
                break;
            case "MQTTPORT":
                if (set && int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535) Store(s with { Port = port });
                w.WriteNumber("MqttPort", _storedMqtt.Port);
                break;
            case "MQTTUSER":
                if (set) Store(s with { User = arg == "0" ? TasmotaMqttSettings.DefaultUser : arg });
                w.WriteString("MqttUser", _storedMqtt.User);
                break;
            case "MQTTPASSWORD":
                if (set) Store(s with { Password = arg == "0" ? "" : arg });
                w.WriteString("MqttPassword", "****");
                break;
            case "SETOPTION3":
                if (set) Store(s with { Enabled = arg is "1" or "on" or "ON" });
                w.WriteString("SetOption3", _storedMqtt.Enabled ? "ON" : "OFF");
                break;
            case "SETOPTION19":
                // Switches the discovery kind at once (no restart): it applies to the running connection too.
                if (set)
                {
                    var ha = arg is "1" or "on" or "ON";
                    _storedMqtt = _storedMqtt with { HomeAssistantDiscovery = ha };
                    _activeMqtt = _activeMqtt with { HomeAssistantDiscovery = ha };
                }
                w.WriteString("SetOption19", _storedMqtt.HomeAssistantDiscovery ? "ON" : "OFF");
                break;
            case "TOPIC":
                // The simulated device's topic is its id, fixed for its life: another one is refused.
                if (set && arg != Id) w.WriteString("Command", "Error");
                else
                {
                    if (set) Volatile.Write(ref _restartRequested, 1);
                    w.WriteString("Topic", Id);
                }
                break;
            case "FULLTOPIC":
                if (set && arg != Bridge.Protocols.Tasmota.TasmotaTopics.DefaultFullTopic) w.WriteString("Command", "Error");
                else
                {
                    if (set) Volatile.Write(ref _restartRequested, 1);
                    w.WriteString("FullTopic", Bridge.Protocols.Tasmota.TasmotaTopics.DefaultFullTopic);
                }
                break;
            case "WEBPASSWORD":
                if (set) _webPassword = arg == "0" ? "" : arg;
                w.WriteString("WebPassword", "****");
                break;
            case "HOSTNAME":
                w.WriteString("Hostname", Hostname);
                break;
            case "RESTART":
                if (arg == "1") Volatile.Write(ref _restartRequested, 1);
                w.WriteString("Restart", arg == "1" ? "Restarting" : "1 to restart");
                break;
        }
        w.WriteEndObject();
        return true;
    }

    /// <summary>A changed MQTT setting restarts the device (Tasmota sets its restart flag).</summary>
    private void Store(TasmotaMqttSettings next)
    {
        if (next == _storedMqtt) return;
        _storedMqtt = next;
        Volatile.Write(ref _restartRequested, 1);
    }

    private void StartRestartIfRequested()
    {
        if (Interlocked.Exchange(ref _restartRequested, 0) == 1) _ = RestartAsync();
    }

    /// <summary>Drops off MQTT abruptly, stays away for <see cref="RestartDuration"/>, then runs with the stored
    /// settings: with a broker, connects to it with the stored account, retrying as Tasmota does until it gets in.</summary>
    private async Task RestartAsync()
    {
        try
        {
            await GoOfflineAsync().ConfigureAwait(false);
            await Task.Delay(RestartDuration, Time, Stopping).ConfigureAwait(false);
            var s = _activeMqtt = _storedMqtt;
            Interlocked.Increment(ref _restarts);
            Restarted?.Invoke();
            if (!s.HasBroker || WebFaults.NeverReconnects) return;
            UseAccount(s.User.Length > 0 ? s.User : null, s.Password.Length > 0 ? s.Password : null);
            while (ReferenceEquals(_activeMqtt, s))
            {
                try
                {
                    await ConnectAsync(s.Host, s.Port, Stopping).ConfigureAwait(false);
                    return;
                }
                catch (Exception) when (!Stopping.IsCancellationRequested)
                {
                    await Task.Delay(ReconnectDelay, Time, Stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
