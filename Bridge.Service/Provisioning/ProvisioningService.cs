using System.Collections.Concurrent;
using Bridge.Protocols.Api;
using Bridge.Service.Devices;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Provisioning;

/// <summary>The one provisioning flow for every method (CONTRACT.md "Provisioning"): reach the
/// device → send → wait for its verdict → wait for it on the LAN → adopted. One run per target at
/// a time; steps go out in order, each at most once. Logs the target, method, SSID and steps, and
/// never a password or proof of possession.</summary>
public sealed class ProvisioningService(
    IEnumerable<IProvisioningMethod> methods,
    DeviceRegistry registry,
    ProvisionedDeviceFinder finder,
    Adoption.AdopterRegistry adopters,
    IOptions<ProvisionOptions> options,
    ILogger<ProvisioningService> log)
{
    private readonly Dictionary<string, IProvisioningMethod> _methods = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Methods => _methods.Keys;

    public async Task<(Device? Device, string? Redirect)> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> onStep, CancellationToken ct)
    {
        var method = Method(request.Method);
        if (request.Problems().FirstOrDefault() is { } problem) throw new ProvisionFailedException(problem, ErrorCodes.BadRequest);
        var target = request.Target.Trim();
        using var claim = Claim(target);
        var sent = -1;
        async ValueTask Step(string step)
        {
            var index = Array.IndexOf(ProvisionSteps.InOrder, step);
            if (index <= sent) return; // in order, each at most once
            sent = index;
            log.LogInformation("Provisioning {Target} over {Method} for network {Ssid}: {Step}", target, method.Name, request.Ssid, step);
            await onStep(step).ConfigureAwait(false);
        }
        try
        {
            var knownBefore = registry.All().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var verdict = await method.ProvisionAsync(request with { Target = target }, Step, ct).ConfigureAwait(false);
            await Step(ProvisionSteps.Provisioned).ConfigureAwait(false);
            var (adoptable, adopted) = await AdoptAtRedirectAsync(verdict, target, Step, ct).ConfigureAwait(false);
            var device = adoptable ? adopted : await finder.WaitAsync(verdict, knownBefore, options.Value.FindTimeout, Step, ct).ConfigureAwait(false);
            if (device is null)
                log.LogWarning("Provisioned {Target} joined {Ssid} but did not appear within {Timeout}", target, request.Ssid, options.Value.FindTimeout);
            return (device, verdict.Redirect);
        }
        catch (ProvisionFailedException e)
        {
            log.LogWarning("Provisioning {Target} over {Method} failed: {Reason}", target, method.Name, e.Message);
            throw;
        }
    }

    /// <summary>A device that joined the Wi-Fi but no broker (a fresh Tasmota) is never seen on the broker by
    /// itself: when what answers at the address it reported is a device adopted by address, it is adopted
    /// that way (found → adopted). Adoptable is false when nothing of the kind answers there (the device is
    /// then waited for on the LAN as usual); adopted is null when adopting it failed (logged, with why).</summary>
    private async Task<(bool Adoptable, Device? Adopted)> AdoptAtRedirectAsync(ProvisionVerdict verdict, string target, Func<string, ValueTask> step, CancellationToken ct)
    {
        if (adopters.AddressProtocols.Count == 0 || verdict.Redirect is null || !Uri.TryCreate(verdict.Redirect, UriKind.Absolute, out var url)
            || url.Scheme != Uri.UriSchemeHttp || url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6))
            return (false, null);
        Adoption.AdoptFailedException? failure = null;
        Discovery.DiscoveredDevice found;
        try
        {
            found = await adopters.IdentifyAtAsync(url.Authority, null, null, ct).ConfigureAwait(false);
        }
        catch (Adoption.AdoptFailedException)
        {
            return (false, null);
        }
        await step(ProvisionSteps.Found).ConfigureAwait(false);
        try
        {
            var device = await adopters.AdoptAsync(found.Id, null, ct).ConfigureAwait(false);
            await step(ProvisionSteps.Adopted).ConfigureAwait(false);
            return (true, device);
        }
        catch (Adoption.AdoptFailedException e)
        {
            failure = e;
        }
        log.LogWarning("Provisioned {Target} joined the network and answers at {Address} as a {Protocol} device, but adopting it failed: {Reason}",
            target, url.Authority, found.Protocol, failure.Message);
        return (true, null);
    }

    public async Task<IReadOnlyList<WifiNetwork>> NetworksAsync(string methodName, string target, CancellationToken ct)
    {
        var method = Method(methodName);
        if (string.IsNullOrWhiteSpace(target)) throw new ProvisionFailedException("'target' is missing", ErrorCodes.BadRequest);
        using var claim = Claim(target.Trim());
        return await method.ScanAsync(target.Trim(), ct).ConfigureAwait(false);
    }

    private IProvisioningMethod Method(string? name) =>
        name is not null && _methods.TryGetValue(name, out var m) ? m
        : throw new ProvisionFailedException($"'method' must be one of {string.Join(", ", _methods.Keys)}", ErrorCodes.BadRequest);

    private Claimed Claim(string target) =>
        _busy.TryAdd(target, 0) ? new Claimed(_busy, target)
        : throw new ProvisionFailedException($"{target} is being provisioned by someone else already; wait for that to finish (the device was not touched by this request)", ErrorCodes.Busy);

    private sealed class Claimed(ConcurrentDictionary<string, byte> busy, string target) : IDisposable
    {
        public void Dispose() => busy.TryRemove(target, out _);
    }
}
