using System.Buffers;
using System.Text.Json;
using Bridge.Protocols.Shelly;

namespace Bridge.Service.Provisioning.SoftAp;

/// <summary>What a Shelly's <c>GET /shelly</c> says about it.</summary>
internal sealed record ShellyApInfo(string Id, string? Model, int Generation);

/// <summary>Provisioning a Shelly Gen2+ in access-point mode (protocol digest, "Vendor SoftAP
/// setup"): <c>WiFi.SetConfig</c> over its JSON-RPC, then <c>WiFi.GetStatus</c> until it has an
/// address. Once on the LAN it announces itself by mDNS and is adopted as any Shelly (its id is
/// the verdict's <see cref="ProvisionVerdict.DiscoveredId"/>).</summary>
internal sealed class ShellySoftAp(SoftApHttp http, ShellyApInfo info, ProvisionOptions options, TimeProvider time)
{
    private static readonly TimeSpan StatusPoll = TimeSpan.FromMilliseconds(250);

    public static bool TryRead(byte[] body, out ShellyApInfo? info)
    {
        info = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("gen", out var gen) || !gen.TryGetInt32(out var g) || g < 2) return false;
            info = new ShellyApInfo(id.GetString()!, root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null, g);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public async Task<ProvisionVerdict> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct)
    {
        await step(ProvisionSteps.Sending).ConfigureAwait(false);
        var set = await RpcAsync("WiFi.SetConfig", w =>
        {
            w.WriteStartObject("config");
            w.WriteStartObject("sta");
            w.WriteString("ssid", request.Ssid);
            w.WriteString("pass", request.Password);
            w.WriteBoolean("enable", true);
            w.WriteEndObject();
            w.WriteEndObject();
        }, ct).ConfigureAwait(false);
        if (set is null) throw new ProvisionFailedException($"the Shelly {info.Id} refused the Wi-Fi settings; it is still in its setup mode");
        await step(ProvisionSteps.Joining).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(options.SoftApJoinTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        try
        {
            while (true)
            {
                try
                {
                    if (await RpcAsync("WiFi.GetStatus", null, linked.Token).ConfigureAwait(false) is { } status)
                    {
                        var state = status.TryGetProperty("status", out var s) ? s.GetString() : null;
                        if (state == "got ip")
                            return new ProvisionVerdict(null, status.TryGetProperty("sta_ip", out var ip) ? ip.GetString() : null, info.Id, null, info.Id);
                        if (state == "disconnected")
                            throw new ProvisionFailedException($"the device could not join {request.Ssid}: wrong password or network not found. It is back in its setup mode, ready for new settings");
                    }
                }
                catch (SoftApHttpException) when (!linked.IsCancellationRequested)
                {
                    // Its radio is busy joining or it restarts: ask again.
                }
                await Task.Delay(StatusPoll, time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new ProvisionFailedException($"the Shelly did not say within {options.SoftApJoinTimeout.TotalSeconds:0} s whether it joined {request.Ssid}. It was left trying to join; restart it to try again");
        }
    }

    public async Task<IReadOnlyList<WifiNetwork>> ScanAsync(CancellationToken ct)
    {
        var result = await RpcAsync("WiFi.Scan", null, ct).ConfigureAwait(false)
            ?? throw new ProvisionFailedException("the Shelly did not list the networks it sees; type the network's name instead");
        if (!result.TryGetProperty("results", out var list) || list.ValueKind != JsonValueKind.Array) return [];
        return list.EnumerateArray()
            .Where(n => n.ValueKind == JsonValueKind.Object && n.TryGetProperty("ssid", out var s) && s.ValueKind == JsonValueKind.String)
            .Select(n => new WifiNetwork(n.GetProperty("ssid").GetString()!,
                n.TryGetProperty("rssi", out var r) && r.TryGetInt32(out var rssi) ? rssi : -100,
                !(n.TryGetProperty("auth", out var a) && a.TryGetInt32(out var auth) && auth == 0)))
            .ToArray();
    }

    /// <summary>The result of one call, or null when the device answered with an error.</summary>
    private async Task<JsonElement?> RpcAsync(string method, Action<Utf8JsonWriter>? writeParams, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ShellyRpc.WriteRequest(buffer, 1, "devicebridge", method, writeParams,
            writeParams is null ? null : static (w, write) => write!(w));
        var answer = await http.PostJsonAsync("/rpc", buffer.WrittenSpan.ToArray(), ct).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(answer.Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("result", out var result) ? result.Clone() : null;
        }
        catch (JsonException)
        {
            throw new SoftApHttpException($"the Shelly at {http.Device} answered {method} with something that is not JSON");
        }
    }
}
