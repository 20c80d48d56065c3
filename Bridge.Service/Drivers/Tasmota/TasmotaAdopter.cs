using System.Net;
using Bridge.Protocols.Api;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;
using Bridge.Service.Mqtt.Accounts;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Adopts a Tasmota that is on the Wi-Fi but on no broker (every fresh Tasmota), found by mDNS or by
/// address: reads its topic and MAC (<c>Status 0</c>), makes its broker account, sends the broker and the account
/// in one <c>Backlog</c> over its HTTP command API (it restarts after it), and waits until Tasmota's own
/// discovery has brought it into the registry, online. Its id is its topic. Every failure says in what state
/// the device was left, and is logged once; passwords are never logged.</summary>
public sealed class TasmotaAdopter(
    DeviceRegistry registry,
    TasmotaWebClient web,
    EmbeddedBroker embedded,
    DeviceAccounts accounts,
    IOptions<MqttOptions> mqtt,
    IOptions<AdoptOptions> options,
    TimeProvider time,
    ILogger<TasmotaAdopter> log) : IDeviceAdopter
{
    public string Protocol => TasmotaDriver.DriverName;

    public async Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct)
    {
        if (request.Credential is { Kind: not AdoptCredential.Password } other)
            throw new AdoptFailedException(ErrorCodes.BadRequest, $"a Tasmota takes no '{other.Kind}': adopt it with its id alone, and 'password' when it has a web password");
        if (request.Known is { Online: true } known) return known;
        var found = request.Found ?? throw new AdoptFailedException(ErrorCodes.DeviceOffline,
            $"'{request.Id}' is known but offline and no longer announced on the LAN; power it on, then adopt it again (or by its address)");
        var at = new IPEndPoint(found.Address, found.Port);
        var password = request.Credential?.Value;
        var status = await StatusAsync(request.Id, at, password, ct).ConfigureAwait(false);
        if (registry.TryGet(status.Topic, out var already) && already.Online && already.Protocol == Protocol) return already;
        return await ConfigureAsync(status, found, at, password, ct).ConfigureAwait(false);
    }

    /// <summary>The device's <c>Status 0</c>; nothing is changed on it. A failure is logged at <paramref name="level"/>
    /// (identifying what answers at an address is allowed to find nothing).</summary>
    public async Task<TasmotaWebStatus> StatusAsync(string id, IPEndPoint at, string? webPassword, CancellationToken ct, LogLevel level = LogLevel.Warning)
    {
        try
        {
            var answer = await web.CommandAsync(at, "Status 0", webPassword, options.Value.RpcTimeout, ct).ConfigureAwait(false);
            if (!TasmotaWebStatus.TryRead(answer, out var status, out var problem)) throw new TasmotaNotTasmotaException(problem);
            return status!;
        }
        catch (Exception e) when (Failure(e, "untouched") is { } failure)
        {
            log.Log(level, "Adopting Tasmota {DeviceId} at {Address} failed: {Reason}; nothing was changed on the device", id, at, failure.Message);
            throw failure;
        }
    }

    private async Task<Device> ConfigureAsync(TasmotaWebStatus status, DiscoveredDevice found, IPEndPoint at, string? webPassword, CancellationToken ct)
    {
        var o = options.Value;
        var id = status.Topic;
        var (host, port) = BrokerFor(found) ?? throw Fail(id, ErrorCodes.ProvisionFailed,
            $"cannot tell which address of the bridge '{id}' can reach; set Mqtt:Bind to it. Nothing was changed on the device");
        if (!mqtt.Value.Embedded && !string.IsNullOrEmpty(mqtt.Value.Username) && string.IsNullOrEmpty(o.DeviceMqttUser))
            throw Fail(id, ErrorCodes.ProvisionFailed,
                "the external broker needs an account and the bridge does not give a device its own: set Adopt:DeviceMqttUser and Adopt:DeviceMqttPassword to an account for devices. Nothing was changed on the device");
        var account = AccountFor(status);
        // Listen before sending, so a device quicker than this code is not missed.
        using var online = new OnlineWatch(registry, d => d.Id == id && d.Protocol == Protocol);
        var broker = $"{host}:{port}";
        var sent = false;
        try
        {
            try
            {
                await web.CommandAsync(at, Backlog(host, port, account), webPassword, o.RpcTimeout, ct).ConfigureAwait(false);
                sent = true;
            }
            catch (TasmotaUnreachableException e)
            {
                // The request went out: the device may have taken it, and restarting drops the answer.
                log.LogInformation("Adopting {DeviceId}: no answer to the MQTT settings ({Reason}); waiting for it on MQTT", id, e.Message);
                sent = true;
            }
            log.LogInformation("Adopting {DeviceId}: MQTT settings sent (broker {Broker}); it restarts and joins", id, broker);
            try
            {
                var adopted = await online.Online.WaitAsync(o.ConnectTimeout, time, ct).ConfigureAwait(false);
                log.LogInformation("Adopted {DeviceId}: controlled over MQTT through {Broker}", id, broker);
                return adopted;
            }
            catch (TimeoutException)
            {
                log.LogWarning("Adopting {DeviceId} timed out: it was sent the MQTT settings for {Broker} but did not come online on MQTT within {Timeout}; its account is kept for when it does",
                    id, broker, o.ConnectTimeout);
                throw new AdoptFailedException(ErrorCodes.Timeout,
                    $"the device was sent the MQTT settings for {broker} but did not come online on MQTT within {o.ConnectTimeout.TotalSeconds:0.#} s; it stays configured for that broker (check it can reach {broker} and that its Tasmota discovery is on, then adopt again)");
            }
        }
        catch (Exception e) when (!sent && Failure(e, "untouched") is { } failure)
        {
            if (account is not null) accounts.Remove(id);
            log.LogWarning("Adopting {DeviceId} failed: {Reason}; nothing was changed on the device", id, failure.Message);
            throw failure;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogWarning("Adopting {DeviceId} abandoned: the client went away; the device is left {State}", id, sent ? $"configured for the broker {broker}" : "untouched");
            throw;
        }
    }

    /// <summary>One Backlog (PROTOCOLS.md): the broker, the account, Tasmota's default FullTopic (the one the
    /// bridge reads), MQTT on, and Tasmota's own discovery (SetOption19 0). Tasmota restarts once the backlog
    /// is done, because the broker settings changed.</summary>
    private string Backlog(string host, int port, MqttCredentials? account)
    {
        var parts = new List<string> { $"MqttHost {host}", $"MqttPort {port}" };
        if (account is not null)
        {
            parts.Add("MqttUser " + account.Username);
            parts.Add("MqttPassword " + account.Password);
        }
        else if (!mqtt.Value.Embedded && !string.IsNullOrEmpty(options.Value.DeviceMqttUser))
        {
            parts.Add("MqttUser " + options.Value.DeviceMqttUser);
            parts.Add("MqttPassword " + options.Value.DeviceMqttPassword);
        }
        parts.Add("FullTopic " + Bridge.Protocols.Tasmota.TasmotaTopics.DefaultFullTopic);
        parts.Add("SetOption3 1");
        parts.Add("SetOption19 0");
        return "Backlog " + string.Join("; ", parts);
    }

    /// <summary>With the embedded broker, the device's own account under its topic (a new password at every
    /// adoption); with an external one, none (Adopt:DeviceMqttUser, if set, is used).</summary>
    private MqttCredentials? AccountFor(TasmotaWebStatus status)
    {
        if (!mqtt.Value.Embedded) return null;
        try
        {
            return accounts.CreateFor(Protocol, status.Topic, new Dictionary<string, string>(StringComparer.Ordinal) { [TasmotaMqttRights.MacFact] = status.Mac });
        }
        catch (ArgumentException e)
        {
            throw Fail(status.Topic, ErrorCodes.ProvisionFailed,
                $"no MQTT account can be made for it ({e.Message}); give it a simple Topic (letters, digits, '_', '-'), then adopt again. Nothing was changed on the device");
        }
    }

    /// <summary>Where the device is told to connect: as for every adopted device (<see cref="BrokerTarget"/>), else,
    /// for a device adopted by address, the bridge's own address on the route to it.</summary>
    private (string Host, int Port)? BrokerFor(DiscoveredDevice found)
    {
        var target = BrokerTarget.For(mqtt.Value, embedded.Port, found);
        if (target is null && mqtt.Value.Embedded && LocalAddressTowards(found.Address) is { } own) target = $"{own}:{embedded.Port}";
        if (target is null) return null;
        var colon = target.LastIndexOf(':');
        return (target[..colon].Trim('[', ']'), int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The local address the system routes to <paramref name="device"/> from (no packet is sent).</summary>
    private static IPAddress? LocalAddressTowards(IPAddress device)
    {
        try
        {
            using var probe = new System.Net.Sockets.Socket(device.AddressFamily, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            probe.Connect(device, 9);
            return (probe.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>A failure of the HTTP command API as the adopt reply says it.</summary>
    private static AdoptFailedException? Failure(Exception e, string left) => e switch
    {
        TasmotaWebPasswordException { PasswordGiven: true } => new AdoptFailedException(ErrorCodes.ProvisionFailed,
            $"the Tasmota refused the web password given: adopt it again with its web password (\"password\"). The device is left {left}"),
        TasmotaWebPasswordException => new AdoptFailedException(ErrorCodes.ProvisionFailed,
            $"the Tasmota has a web password: adopt it again with \"password\" set to it. The device is left {left}"),
        TasmotaUnreachableException => new AdoptFailedException(ErrorCodes.DeviceOffline, $"the device does not answer: {e.Message}. It is left {left}"),
        TasmotaNotTasmotaException => new AdoptFailedException(ErrorCodes.ProvisionFailed, $"{e.Message}. The device is left {left}"),
        _ => null,
    };

    private AdoptFailedException Fail(string id, string code, string message)
    {
        log.LogWarning("Adopting {DeviceId} failed: {Reason}", id, message);
        return new AdoptFailedException(code, message);
    }
}
