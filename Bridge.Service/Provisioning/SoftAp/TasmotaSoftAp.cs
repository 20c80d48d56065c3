using System.Text;
using System.Text.RegularExpressions;

namespace Bridge.Service.Provisioning.SoftAp;

/// <summary>Provisioning a Tasmota in access-point mode (protocol digest, "Tasmota in AP mode"):
/// its Wi-Fi form (<c>GET /wi?s1=…&amp;p1=…&amp;save=</c>; the password travels in the URL,
/// plaintext over the open AP, as Tasmota's own page sends it), then its page until it reports the
/// outcome of its Wi-Fi test (Tasmota ≥ 9.1: "Successful Wi-Fi connection" with the device's new
/// address, or "Failed to connect to …" with the reason), as its web page shows an installer.</summary>
internal sealed partial class TasmotaSoftAp(SoftApHttp http, ProvisionOptions options, TimeProvider time)
{
    private static readonly TimeSpan PagePoll = TimeSpan.FromMilliseconds(250);

    public static bool IsSetupPage(byte[] body) => Encoding.UTF8.GetString(body).Contains("Tasmota", StringComparison.Ordinal);

    public async Task<ProvisionVerdict> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct)
    {
        var hostname = HostnameRow().Match(Encoding.UTF8.GetString((await http.GetAsync("/in", ct).ConfigureAwait(false)).Body)) is { Success: true } m
            ? m.Groups[1].Value : null;
        await step(ProvisionSteps.Sending).ConfigureAwait(false);
        var form = await http.GetAsync($"/wi?s1={Uri.EscapeDataString(request.Ssid)}&p1={Uri.EscapeDataString(request.Password)}&save=", ct).ConfigureAwait(false);
        if (!form.Ok) throw new ProvisionFailedException($"the Tasmota refused its Wi-Fi form (HTTP {(int)form.Status}); it is still in its setup mode");
        await step(ProvisionSteps.Joining).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(options.SoftApJoinTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        try
        {
            while (true)
            {
                try
                {
                    var page = Encoding.UTF8.GetString((await http.GetAsync("/", linked.Token).ConfigureAwait(false)).Body);
                    if (page.Contains("Successful Wi-Fi connection", StringComparison.Ordinal))
                    {
                        var address = NewAddress().Match(page) is { Success: true } a ? a.Groups[1].Value : null;
                        return new ProvisionVerdict(address is null ? null : $"http://{address}/", address, hostname, null,
                            AdoptAddress: address, AdoptProtocol: address is null ? null : "tasmota");
                    }
                    if (page.Contains("Failed to connect to", StringComparison.Ordinal))
                    {
                        var why = page.Contains("Wrong password", StringComparison.Ordinal) ? "wrong password"
                            : page.Contains("Network cannot be reached", StringComparison.Ordinal) ? "network not found" : "wrong password or network not found";
                        throw new ProvisionFailedException($"the device could not join {request.Ssid}: {why}. It is back in its setup mode, ready for new settings");
                    }
                }
                catch (SoftApHttpException) when (!linked.IsCancellationRequested)
                {
                    // Restarting to join, or busy: ask again.
                }
                await Task.Delay(PagePoll, time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new ProvisionFailedException($"the Tasmota did not show within {options.SoftApJoinTimeout.TotalSeconds:0} s whether it joined {request.Ssid}. It was left trying to join; restart it to try again");
        }
    }

    [GeneratedRegex(@"Hostname</t[dh]><td>([A-Za-z0-9\-]{1,63})<")]
    private static partial Regex HostnameRow();

    [GeneratedRegex(@"http://(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?::\d{1,5})?)")]
    private static partial Regex NewAddress();
}
