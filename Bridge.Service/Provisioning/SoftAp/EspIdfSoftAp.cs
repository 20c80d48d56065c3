using Bridge.Protocols.EspProv;
using Bridge.Protocols.EspProv.Messages;

namespace Bridge.Service.Provisioning.SoftAp;

/// <summary>Provisioning an ESP-IDF device over its SoftAP (protocol digest, "ESP-IDF unified
/// provisioning"): the session of the security it announced (proof of possession from the
/// request), Wi-Fi settings, apply, then its status until it says connected or why not. A device
/// that restarts while joining is told apart from one that refuses the password.</summary>
internal sealed class EspIdfSoftAp(SoftApHttp http, ProtoVersion version, ProvisionOptions options, TimeProvider time)
{
    private static readonly TimeSpan StatusPoll = TimeSpan.FromMilliseconds(250);

    public async Task<EspProvClientSession> OpenSessionAsync(ProvisionRequest request, CancellationToken ct)
    {
        EspProvClientSession session;
        try
        {
            session = EspProvClientSession.Create(version.SecurityVersion, version.PatchVersion, request.Pop,
                string.IsNullOrEmpty(request.Username) ? Security2Client.DefaultUsername : request.Username);
            var body = session.Begin();
            for (var step = 1; body is not null; step++)
            {
                var answer = await http.PostBytesAsync("/prov-session", body, ct).ConfigureAwait(false);
                if (!answer.Ok)
                    throw new ProvisionFailedException(step >= 2 && version.SecurityVersion > 0
                        ? $"the device refused the secure session (security {version.SecurityVersion}): the proof of possession is wrong{(version.SecurityVersion == 2 ? " (or the username)" : "")}. Nothing was sent to it; it is still in its setup mode"
                        : $"the device refused to start a session (HTTP {(int)answer.Status}). Nothing was sent to it; it is still in its setup mode");
                body = session.Continue(answer.Body);
            }
        }
        catch (EspProvException e)
        {
            throw new ProvisionFailedException($"the secure session with the device failed: {e.Message}. Nothing was sent to it; it is still in its setup mode");
        }
        return session;
    }

    public async Task<ProvisionVerdict> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct)
    {
        var session = await OpenSessionAsync(request, ct).ConfigureAwait(false);
        await step(ProvisionSteps.Sending).ConfigureAwait(false);
        try
        {
            await ConfigAsync(session, WifiConfigMessages.SetConfig(request.Ssid, request.Password), WiFiConfigMsgType.RespSetConfig, ct).ConfigureAwait(false);
            await ConfigAsync(session, WifiConfigMessages.ApplyConfig(), WiFiConfigMsgType.RespApplyConfig, ct).ConfigureAwait(false);
        }
        catch (EspProvException e)
        {
            throw new ProvisionFailedException($"the device did not take the settings: {e.Message}. It is probably still in its setup mode");
        }
        await step(ProvisionSteps.Joining).ConfigureAwait(false);
        return await AwaitVerdictAsync(session, request, ct).ConfigureAwait(false);
    }

    private async Task<WiFiConfigPayload> ConfigAsync(EspProvClientSession session, byte[] plain, WiFiConfigMsgType expected, CancellationToken ct)
    {
        var answer = await http.PostBytesAsync("/prov-config", session.Encrypt(plain), ct).ConfigureAwait(false);
        if (!answer.Ok) throw new EspProvException($"it answered HTTP {(int)answer.Status}");
        return WifiConfigMessages.ReadResponse(session.Decrypt(answer.Body), expected);
    }

    private async Task<ProvisionVerdict> AwaitVerdictAsync(EspProvClientSession session, ProvisionRequest request, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(options.SoftApJoinTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        var away = false;
        while (true)
        {
            try
            {
                var answer = await http.PostBytesAsync("/prov-config", session.Encrypt(WifiConfigMessages.GetStatus()), linked.Token).ConfigureAwait(false);
                if (!answer.Ok)
                    // The session is gone: the device restarted (a reset connection may have shown it already).
                    throw new ProvisionFailedException($"the device restarted while joining {request.Ssid} and forgot the session{(away ? "" : " (it answered HTTP " + (int)answer.Status + ")")}; it is back in its setup mode: try again");
                var status = WifiConfigMessages.ReadResponse(session.Decrypt(answer.Body), WiFiConfigMsgType.RespGetStatus).RespGetStatus;
                switch (status.StaState)
                {
                    case WifiStationState.Connected:
                        return new ProvisionVerdict(null, status.Connected?.Ip4Addr, null, null);
                    case WifiStationState.ConnectionFailed:
                        var why = status.StateCase == RespGetStatus.StateOneofCase.FailReason && status.FailReason == WifiConnectFailedReason.NetworkNotFound
                            ? "network not found" : "wrong password";
                        throw new ProvisionFailedException($"the device could not join {request.Ssid}: {why}. It is back in its setup mode, ready for new settings");
                }
            }
            catch (SoftApHttpException) when (!linked.IsCancellationRequested)
            {
                away = true; // restarting, or the radio busy joining: ask again
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw NoVerdict(request);
            }
            catch (EspProvException e)
            {
                throw new ProvisionFailedException($"the device's answer about joining {request.Ssid} could not be read: {e.Message}. Its state is unknown; restart it to try again");
            }
            try
            {
                await Task.Delay(StatusPoll, time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw NoVerdict(request);
            }
        }
    }

    private ProvisionFailedException NoVerdict(ProvisionRequest request) =>
        new($"the device did not say within {options.SoftApJoinTimeout.TotalSeconds:0} s whether it joined {request.Ssid}: the network may be out of its reach. It was left trying to join; restart it to try again");

    public async Task<IReadOnlyList<WifiNetwork>> ScanAsync(ProvisionRequest request, CancellationToken ct)
    {
        var session = await OpenSessionAsync(request, ct).ConfigureAwait(false);
        try
        {
            await ScanStepAsync(session, WifiConfigMessages.ScanStart(), WiFiScanMsgType.RespScanStart, ct).ConfigureAwait(false);
            var status = await ScanStepAsync(session, WifiConfigMessages.ScanStatus(), WiFiScanMsgType.RespScanStatus, ct).ConfigureAwait(false);
            var count = Math.Min(status.RespScanStatus.ResultCount, 64u);
            var networks = new List<WifiNetwork>();
            for (uint start = 0; start < count; start += 4)
            {
                var page = await ScanStepAsync(session, WifiConfigMessages.ScanResult(start, Math.Min(4, count - start)), WiFiScanMsgType.RespScanResult, ct).ConfigureAwait(false);
                networks.AddRange(page.RespScanResult.Entries.Select(e => new WifiNetwork(e.Ssid.ToStringUtf8(), e.Rssi, e.Auth != WifiAuthMode.Open)));
            }
            return networks;
        }
        catch (EspProvException e)
        {
            throw new ProvisionFailedException($"the device did not list the networks it sees: {e.Message}; type the network's name instead");
        }
    }

    private async Task<WiFiScanPayload> ScanStepAsync(EspProvClientSession session, byte[] plain, WiFiScanMsgType expected, CancellationToken ct)
    {
        var answer = await http.PostBytesAsync("/prov-scan", session.Encrypt(plain), ct).ConfigureAwait(false);
        if (!answer.Ok) throw new EspProvException($"it answered HTTP {(int)answer.Status}");
        return WifiConfigMessages.ReadScan(session.Decrypt(answer.Body), expected);
    }
}
