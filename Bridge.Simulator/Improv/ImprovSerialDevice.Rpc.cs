using System.Text;
using System.Text.RegularExpressions;
using Bridge.Protocols.Improv;

namespace Bridge.Simulator.Improv;

/// <summary>The RPCs a simulated Improv device answers, and how it joins a network.</summary>
public sealed partial class ImprovSerialDevice
{
    private void Handle(ImprovPacket packet)
    {
        if (packet.Type != ImprovPacketType.Rpc) return;
        if (!ImprovRpc.TryParseCommand(packet.Data, out var command, out var payload))
        {
            SendError(ImprovError.InvalidRpc);
            return;
        }
        switch (command)
        {
            case ImprovCommand.RequestCurrentState:
                SendState(_state);
                if (_state == ImprovState.Provisioned && _url is not null) SendResult(command, _url);
                break;
            case ImprovCommand.RequestDeviceInfo:
                SendResult(command, Info());
                break;
            case ImprovCommand.RequestWifiNetworks:
                Log("[D][improv_serial:200]: Scanning for networks");
                foreach (var (ssid, rssi, secure) in _air.Scan())
                    SendResult(command, new ImprovNetwork(ssid, rssi, secure).ToStrings());
                SendResult(command);
                break;
            case ImprovCommand.Hostname:
                if (payload.Length > 0)
                {
                    var wanted = Encoding.UTF8.GetString(payload);
                    if (!ValidHostname().IsMatch(wanted))
                    {
                        SendError(ImprovError.BadHostname);
                        break;
                    }
                    Hostname = wanted;
                }
                SendResult(command, Hostname);
                break;
            case ImprovCommand.SendWifiSettings:
                if (!ImprovRpc.TryParseWifiSettings(payload, out var network, out var password))
                {
                    SendError(ImprovError.InvalidRpc);
                    break;
                }
                Interlocked.Increment(ref _settingsReceived);
                // As ESPHome: the SSID is logged, the password never.
                Log($"[D][improv_serial:150]: Received Improv Wi-Fi settings ssid={network}, password=******");
                SendError(ImprovError.None);
                SendState(ImprovState.Provisioning);
                _ = JoinAsync(network, password);
                break;
            default:
                SendError(ImprovError.UnknownCommand);
                break;
        }
    }

    private string[] Info() => Firmware switch
    {
        ImprovFirmware.EspHome => new ImprovDeviceInfo("ESPHome", "2024.6.0", "ESP32-C3", Name).ToStrings(),
        ImprovFirmware.Wled => new ImprovDeviceInfo("WLED", "0.14.4", "esp32", Name).ToStrings(),
        _ => new ImprovDeviceInfo("Tasmota", "14.4.1", "ESP32", Name).ToStrings(),
    };

    private async Task JoinAsync(string ssid, string password)
    {
        try
        {
            if (Faults.RebootOnSettings)
            {
                await RebootAsync(keepState: false).ConfigureAwait(false);
                return;
            }
            Log($"[I][wifi:313]: WiFi Connecting to '{ssid}'...");
            if (!_air.CanJoin(ssid, password))
            {
                await Task.Delay(Faults.ConnectTimeout, _time, _stop.Token).ConfigureAwait(false);
                Log("[W][wifi:627]: WiFi Connection failed: AUTH_EXPIRE");
                if (Firmware == ImprovFirmware.Wled) return; // WLED never says it could not connect
                SendError(ImprovError.UnableToConnect);
                SendState(ImprovState.Ready);
                return;
            }
            await Task.Delay(Faults.JoinDelay, _time, _stop.Token).ConfigureAwait(false);
            var url = (Joined is null ? null : await Joined(ssid, _stop.Token).ConfigureAwait(false)) ?? $"http://{Address}/";
            _url = url;
            Log($"[I][wifi:617]: WiFi Connected! IP Address: {Address}");
            SendState(ImprovState.Provisioned);
            SendResult(ImprovCommand.SendWifiSettings, url);
            if (Firmware == ImprovFirmware.Tasmota) await RebootAsync(keepState: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // What joining set off (e.g. the device's MQTT connection) failed: the device stays
            // "provisioning" and a client times out, as with a real device stuck there.
            Log($"[E][app:100]: {e.GetType().Name}: {e.Message}");
        }
    }

    [GeneratedRegex("^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex ValidHostname();
}
