using System.Net;
using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;
using Bridge.Service.Mqtt.Accounts;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Adopts a discovered Shelly: points it at the bridge's broker through its local RPC
/// (MQTT.SetConfig), reboots it (Shelly.Reboot) and waits until the Shelly driver has it online over
/// MQTT. Every failure says in what state the device was left, and is logged once.</summary>
public sealed class ShellyAdopter(
    DeviceRegistry registry,
    ShellyLocalRpc rpc,
    EmbeddedBroker embedded,
    DeviceAccounts accounts,
    IOptions<MqttOptions> mqtt,
    IOptions<AdoptOptions> options,
    TimeProvider time,
    ILogger<ShellyAdopter> log) : IDeviceAdopter
{
    public string Protocol => ShellyDriver.DriverName;

    public async Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct)
    {
        if (request.Credential is { } credential)
            throw new AdoptFailedException(ErrorCodes.BadRequest, $"a Shelly takes no '{credential.Kind}': adopt it with its device id alone");
        // Already on MQTT: adopted before (or configured by hand); nothing to do.
        if (request.Known is { Online: true } known) return known;
        var found = request.Found ?? throw new AdoptFailedException(ErrorCodes.DeviceOffline,
            $"'{Short(request.Id)}' is known but offline and no longer announced on the LAN; power it on, then adopt again");
        return await AdoptCoreAsync(found, ct).ConfigureAwait(false);
    }

    private async Task<Device> AdoptCoreAsync(DiscoveredDevice found, CancellationToken ct)
    {
        var o = options.Value;
        var id = found.Id;
        var broker = BrokerTarget.For(mqtt.Value, embedded.Port, found)
            ?? throw new AdoptFailedException(ErrorCodes.ProvisionFailed, $"cannot tell which address of the bridge '{id}' can reach (found on no known interface); set Mqtt:Bind to it. Nothing was changed on the device");
        if (!mqtt.Value.Embedded && !string.IsNullOrEmpty(mqtt.Value.Username) && string.IsNullOrEmpty(o.DeviceMqttUser))
            throw new AdoptFailedException(ErrorCodes.ProvisionFailed,
                "the external broker needs an account and the bridge does not give a device its own: set Adopt:DeviceMqttUser and Adopt:DeviceMqttPassword to an account for devices. Nothing was changed on the device");
        var device = new IPEndPoint(found.Address, found.Port);
        var account = AccountFor(id);
        // Listen before the reboot, so a device quicker than this code is not missed.
        using var online = new OnlineWatch(registry, d => d.Id == id);
        var left = "untouched";
        try
        {
            try
            {
                await rpc.CallAsync(device, "MQTT.SetConfig", w => WriteMqttConfig(w, broker, id, account), o.RpcTimeout, ct).ConfigureAwait(false);
            }
            catch (ShellyUnreachableException e)
            {
                log.LogWarning("Adopting {DeviceId} failed: {Reason}; nothing was changed on the device", id, e.Message);
                throw new AdoptFailedException(ErrorCodes.DeviceOffline, $"the device does not answer at {device}: {e.Message}. Nothing was changed on it");
            }
            catch (ShellyRpcErrorException e)
            {
                log.LogWarning("Adopting {DeviceId} failed: {Reason}; nothing was changed on the device", id, e.Message);
                throw new AdoptFailedException(ErrorCodes.ProvisionFailed, $"the device refused the MQTT settings ({e.Message}). Nothing was changed on it");
            }
            left = $"configured for the broker {broker}, not yet rebooted";
            log.LogInformation("Adopting {DeviceId}: MQTT settings stored (broker {Broker}); rebooting it", id, broker);
            try
            {
                await rpc.CallAsync(device, "Shelly.Reboot", null, o.RpcTimeout, ct).ConfigureAwait(false);
            }
            catch (ShellyRpcErrorException e)
            {
                log.LogWarning("Adopting {DeviceId} failed: it refused to reboot ({Reason}); it keeps the MQTT settings for {Broker} and uses them after its next restart", id, e.Message, broker);
                throw new AdoptFailedException(ErrorCodes.ProvisionFailed, $"the device took the MQTT settings but refused to reboot ({e.Message}); it will use the bridge's broker after its next restart (power-cycle it, then adopt again)");
            }
            catch (ShellyUnreachableException e)
            {
                // A device restarting at once may drop the answer; whether it rebooted shows on MQTT.
                log.LogInformation("Adopting {DeviceId}: no answer to Shelly.Reboot ({Reason}); waiting for it on MQTT", id, e.Message);
            }
            left = $"configured for the broker {broker} and told to reboot";
            try
            {
                var adopted = await online.Online.WaitAsync(o.ConnectTimeout, time, ct).ConfigureAwait(false);
                log.LogInformation("Adopted {DeviceId}: controlled over MQTT through {Broker}", id, broker);
                return adopted;
            }
            catch (TimeoutException)
            {
                log.LogWarning("Adopting {DeviceId} timed out: it took the MQTT settings for {Broker} and was told to reboot, but did not come online on MQTT within {Timeout}; it stays configured for that broker",
                    id, broker, o.ConnectTimeout);
                throw new AdoptFailedException(ErrorCodes.Timeout,
                    $"the device took the MQTT settings for {broker} and was told to reboot, but did not come online on MQTT within {o.ConnectTimeout.TotalSeconds:0.#} s; it stays configured for that broker (check it can reach {broker}, power-cycle it, then adopt again)");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogWarning("Adopting {DeviceId} abandoned: the client went away; the device is left {State}", id, left);
            throw;
        }
    }

    /// <summary>With the embedded broker, the device's own account (a new password at every adoption); with an
    /// external one, none (Adopt:DeviceMqttUser, if set, is used).</summary>
    private MqttCredentials? AccountFor(string id)
    {
        if (!mqtt.Value.Embedded) return null;
        try
        {
            return accounts.CreateFor(ShellyDriver.DriverName, id);
        }
        catch (ArgumentException e)
        {
            log.LogWarning("Adopting {DeviceId} failed: no MQTT account can be made for it ({Reason}); nothing was changed on the device", id, e.Message);
            throw new AdoptFailedException(ErrorCodes.ProvisionFailed, $"no MQTT account can be made for '{Short(id)}' ({e.Message}). Nothing was changed on the device");
        }
    }

    /// <summary>MQTT.SetConfig params: on, this broker, the device id as client id and topic prefix (how the
    /// Shelly driver finds it), JSON-RPC notifications on, and the device's account: its own on the embedded
    /// broker, the device account (Adopt:DeviceMqttUser) on an external one, never the bridge's own.</summary>
    private void WriteMqttConfig(Utf8JsonWriter w, string broker, string id, MqttCredentials? account)
    {
        var o = mqtt.Value;
        w.WriteStartObject("config");
        w.WriteBoolean("enable", true);
        w.WriteString("server", broker);
        w.WriteString("client_id", id);
        w.WriteString("topic_prefix", id);
        w.WriteBoolean("rpc_ntf", true);
        w.WriteBoolean("status_ntf", false);
        w.WriteBoolean("enable_rpc", true);
        w.WriteBoolean("enable_control", true);
        var adopt = options.Value;
        if (account is not null)
        {
            w.WriteString("user", account.Username);
            w.WriteString("pass", account.Password);
        }
        else if (!o.Embedded && !string.IsNullOrEmpty(adopt.DeviceMqttUser))
        {
            w.WriteString("user", adopt.DeviceMqttUser);
            w.WriteString("pass", adopt.DeviceMqttPassword);
        }
        w.WriteEndObject();
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
