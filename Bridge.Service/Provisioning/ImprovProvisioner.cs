using Bridge.Protocols.Improv;
using Bridge.Service.Serial;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Provisioning;

/// <summary>Provisioning over Improv Wi-Fi serial (<c>method</c> <c>improv</c>, PROTOCOLS.md Improv
/// over serial): finds Improv on the port, reads what the device is, sends the settings and waits
/// for its verdict, also noticing a device that restarts and forgets them. Every failure says what
/// state the device was left in.</summary>
public sealed class ImprovProvisioner(ISerialPortOpener opener, IOptions<ProvisionOptions> options, TimeProvider time) : IProvisioningMethod
{
    /// <summary>While joining, the state is asked for this often, so a device that restarted
    /// (and came back ready, having forgotten the settings) is noticed without waiting it out.</summary>
    private static readonly TimeSpan StatePoll = TimeSpan.FromSeconds(1);

    public string Name => "improv";

    public async Task<ProvisionVerdict> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct)
    {
        var o = options.Value;
        await step(ProvisionSteps.Connecting).ConfigureAwait(false);
        await using var line = ImprovLine.Open(opener, request.Target, o.ImprovBaud);
        var client = new ImprovClient(line, time);
        await DetectAsync(client, line, request.Target, ct).ConfigureAwait(false);
        if (client.State == ImprovState.AwaitingAuthorization)
            throw new ProvisionFailedException("the device waits for its button to be pressed to allow setup (Improv authorization); press it and try again. Nothing was sent to it");
        var info = await client.TryRequestAsync(ImprovCommand.RequestDeviceInfo, [], o.ImprovRequestTimeout, ct).ConfigureAwait(false);
        ImprovDeviceInfo.TryParse(info ?? [], out var deviceInfo);
        var hostname = (await client.TryRequestAsync(ImprovCommand.Hostname, [], o.ImprovRequestTimeout, ct).ConfigureAwait(false)) is [var h, ..] ? h : null;

        await step(ProvisionSteps.Sending).ConfigureAwait(false);
        await line.SendAsync(w => ImprovRpc.WriteWifiSettings(w, request.Ssid, request.Password), ct).ConfigureAwait(false);
        var url = await AwaitVerdictAsync(client, request, step, ct).ConfigureAwait(false);
        var address = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;
        return new ProvisionVerdict(url, address, hostname, deviceInfo?.Name);
    }

    public async Task<IReadOnlyList<WifiNetwork>> ScanAsync(string target, CancellationToken ct)
    {
        var o = options.Value;
        await using var line = ImprovLine.Open(opener, target, o.ImprovBaud);
        var client = new ImprovClient(line, time);
        await DetectAsync(client, line, target, ct).ConfigureAwait(false);
        var results = await client.ScanAsync(o.ImprovRequestTimeout, ct).ConfigureAwait(false)
            ?? throw new ProvisionFailedException("the device did not finish listing the networks it sees (some, e.g. WLED on ESP32-C3, cannot scan); type the network's name instead");
        return results
            .Select(r => ImprovNetwork.TryParse(r, out var n) ? n : null)
            .OfType<ImprovNetwork>()
            .GroupBy(n => n.Ssid, StringComparer.Ordinal)
            .Select(g => g.MaxBy(n => n.Rssi)!)
            .OrderByDescending(n => n.Rssi)
            .Select(n => new WifiNetwork(n.Ssid, n.Rssi, n.Secure))
            .ToArray();
    }

    private async Task DetectAsync(ImprovClient client, ImprovLine line, string target, CancellationToken ct)
    {
        if (await client.DetectAsync(options.Value.ImprovDetectTimeout, ct).ConfigureAwait(false)) return;
        ct.ThrowIfCancellationRequested();
        var seconds = options.Value.ImprovDetectTimeout.TotalSeconds;
        throw new ProvisionFailedException(line.OtherBytes > 0
            ? $"a device on {target} prints to the port but did not answer Improv within {seconds:0.#} s: it is not in setup mode, or its firmware has no Improv. Nothing was sent to it"
            : $"no answer on {target} within {seconds:0.#} s: no device there, a device not in setup mode, or the wrong port. Nothing was sent to it");
    }

    /// <summary>After the settings: joining, then provisioned (with the device's URL) or a failure.</summary>
    private async Task<string?> AwaitVerdictAsync(ImprovClient client, ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct)
    {
        var o = options.Value;
        using var deadline = new CancellationTokenSource(o.ImprovJoinTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        var joining = false;
        var provisioned = false;
        var lastPoll = time.GetTimestamp();
        while (true)
        {
            // Wake at least every StatePoll to ask for the state (a restarted device says nothing by itself).
            using var nap = new CancellationTokenSource(StatePoll, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, nap.Token);
            var packet = await client.Line.NextAsync(wait.Token).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested) throw NoVerdict(request, joining, o.ImprovJoinTimeout);
            if (packet is null || time.GetElapsedTime(lastPoll) >= StatePoll)
            {
                lastPoll = time.GetTimestamp();
                await client.Line.SendAsync(w => ImprovRpc.WriteCommand(w, ImprovCommand.RequestCurrentState, []), ct).ConfigureAwait(false);
                if (packet is null) continue;
            }
            switch (packet.Type)
            {
                case ImprovPacketType.CurrentState when packet.State == ImprovState.Provisioning:
                    if (!joining) await step(ProvisionSteps.Joining).ConfigureAwait(false);
                    joining = true;
                    break;
                case ImprovPacketType.CurrentState when packet.State == ImprovState.Provisioned:
                    if (!joining) await step(ProvisionSteps.Joining).ConfigureAwait(false);
                    joining = provisioned = true;
                    break;
                case ImprovPacketType.CurrentState when packet.State == ImprovState.Ready && joining:
                    // Back to ready without an error: it restarted and lost the settings.
                    throw new ProvisionFailedException($"the device restarted while joining {request.Ssid} and forgot the settings; it is back in its setup mode, ready for new settings: try again");
                case ImprovPacketType.ErrorState when packet.Error == ImprovError.UnableToConnect:
                    throw new ProvisionFailedException($"the device could not join {request.Ssid}: wrong password or network not found. It is back in its setup mode, ready for new settings");
                case ImprovPacketType.ErrorState when packet.Error is { } error && error != ImprovError.None:
                    throw new ProvisionFailedException($"the device refused the settings (Improv error {Describe(error)}); it is still in its setup mode");
                case ImprovPacketType.RpcResult:
                    if (ImprovRpc.TryParseResult(packet.Data, out var command, out var strings)
                        && (command == ImprovCommand.SendWifiSettings || (command == ImprovCommand.RequestCurrentState && provisioned)))
                        return PickUrl(strings);
                    break;
            }
        }
    }

    private static ProvisionFailedException NoVerdict(ProvisionRequest request, bool joining, TimeSpan timeout) =>
        new(joining
            ? $"the device did not say within {timeout.TotalSeconds:0} s whether it joined {request.Ssid} (some firmware, e.g. WLED, never reports a failed join): the password may be wrong or the network out of reach. It was left trying to join; restart it to try again"
            : $"the device did not take the settings within {timeout.TotalSeconds:0} s; it is probably still in its setup mode");

    /// <summary>ESPHome reports its next URL and its own address; the one with an address wins.</summary>
    private static string? PickUrl(string[] strings) =>
        strings.FirstOrDefault(s => Uri.TryCreate(s, UriKind.Absolute, out var u) && System.Net.IPAddress.TryParse(u.Host, out _))
        ?? strings.FirstOrDefault(s => s.Length > 0);

    private static string Describe(ImprovError error) => error switch
    {
        ImprovError.InvalidRpc => "invalid packet",
        ImprovError.UnknownCommand => "unknown command",
        ImprovError.NotAuthorized => "not authorized",
        ImprovError.BadHostname => "bad hostname",
        _ => $"0x{(byte)error:X2}",
    };
}
