using Bridge.Protocols.EspProv;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Provisioning.SoftAp;

/// <summary>Provisioning over a device's own access point (<c>method</c> <c>softap</c>, CONTRACT.md
/// "Provisioning"): finds out what answers at the address — ESP-IDF unified provisioning
/// (<c>/proto-ver</c>), a Shelly Gen2+ (<c>/shelly</c>) or Tasmota's setup page — and runs that
/// kind's exchange. Every failure says what state the device was left in.</summary>
public sealed class SoftApProvisioner(IOptions<ProvisionOptions> options, TimeProvider time) : IProvisioningMethod
{
    public string Name => "softap";

    public async Task<ProvisionVerdict> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct)
    {
        await step(ProvisionSteps.Connecting).ConfigureAwait(false);
        using var http = Open(request.Target);
        try
        {
            return await RecognizeAsync(http, ct).ConfigureAwait(false) switch
            {
                EspIdfSoftAp esp => await esp.ProvisionAsync(request, step, ct).ConfigureAwait(false),
                ShellySoftAp shelly => await shelly.ProvisionAsync(request, step, ct).ConfigureAwait(false),
                TasmotaSoftAp tasmota => await tasmota.ProvisionAsync(request, step, ct).ConfigureAwait(false),
                _ => throw new InvalidOperationException(),
            };
        }
        catch (SoftApHttpException e)
        {
            throw new ProvisionFailedException(e.Message + "; its state is unknown");
        }
    }

    public async Task<IReadOnlyList<WifiNetwork>> ScanAsync(string target, CancellationToken ct)
    {
        using var http = Open(target);
        try
        {
            var networks = await RecognizeAsync(http, ct).ConfigureAwait(false) switch
            {
                EspIdfSoftAp esp => await esp.ScanAsync(new ProvisionRequest(Name, target, "", "", null), ct).ConfigureAwait(false),
                ShellySoftAp shelly => await shelly.ScanAsync(ct).ConfigureAwait(false),
                _ => throw new ProvisionFailedException("Tasmota's setup page does not list networks to the bridge; type the network's name instead"),
            };
            return networks.GroupBy(n => n.Ssid, StringComparer.Ordinal).Select(g => g.MaxBy(n => n.Rssi)!).OrderByDescending(n => n.Rssi).ToArray();
        }
        catch (SoftApHttpException e)
        {
            throw new ProvisionFailedException(e.Message);
        }
    }

    /// <summary>The wifi_networks variant with a proof of possession (ESP-IDF security 1 and 2 need one to list).</summary>
    private SoftApHttp Open(string target)
    {
        if (!TryDeviceUri(target, out var uri))
            throw new ProvisionFailedException($"'{target}' is not a device address (e.g. 192.168.4.1, or http://192.168.4.1:80)", Bridge.Protocols.Api.ErrorCodes.BadRequest);
        return new SoftApHttp(uri, options.Value.SoftApRequestTimeout, time);
    }

    public static bool TryDeviceUri(string target, out Uri uri)
    {
        var text = target.Contains("://", StringComparison.Ordinal) ? target : "http://" + target;
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp && parsed.Host.Length > 0
            && string.IsNullOrEmpty(parsed.UserInfo) && parsed.PathAndQuery == "/")
        {
            uri = new Uri($"http://{parsed.Authority}/");
            return true;
        }
        uri = null!;
        return false;
    }

    /// <summary>Which kind answers: ESP-IDF first (its proto-ver is a POST nothing else answers),
    /// then a Shelly's <c>/shelly</c>, then Tasmota's page.</summary>
    private async Task<object> RecognizeAsync(SoftApHttp http, CancellationToken ct)
    {
        var protoVer = await http.PostBytesAsync("/proto-ver", "---"u8.ToArray(), ct).ConfigureAwait(false);
        if (protoVer.Ok && ProtoVersion.TryParse(protoVer.Body, out var version))
            return new EspIdfSoftAp(http, version!, options.Value, time);
        var shelly = await http.GetAsync("/shelly", ct).ConfigureAwait(false);
        if (shelly.Ok && ShellySoftAp.TryRead(shelly.Body, out var info))
            return new ShellySoftAp(http, info!, options.Value, time);
        var page = await http.GetAsync("/", ct).ConfigureAwait(false);
        if (page.Ok && TasmotaSoftAp.IsSetupPage(page.Body))
            return new TasmotaSoftAp(http, options.Value, time);
        throw new ProvisionFailedException($"something answers at {http.Device}, but not as a device in setup mode the bridge knows (ESP-IDF provisioning, a Shelly Gen2+, Tasmota). Nothing was sent to it");
    }
}
