using System.Net;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;

namespace Bridge.Service.Provisioning;

/// <summary>Waits for a device that was just given its Wi-Fi to show up in the bridge: found when
/// it is in the registry (Tasmota discovery, Shelly on the broker, …), adopted once it is online
/// and controllable. Recognises it by the address in the URL it reported, else by its hostname or
/// name, else as the first device that appears after provisioning began. A device that joins
/// without a broker (a Shelly fresh from its access point) is found by discovery under the id it
/// gave and adopted by its protocol's adopter.</summary>
public sealed class ProvisionedDeviceFinder(DeviceRegistry registry, DiscoveredDevices discovered, AdopterRegistry adopters, TimeProvider time)
{
    /// <summary>The device once adopted (or only found, if it never came online in time); null if
    /// it did not appear within <paramref name="timeout"/>.</summary>
    public async Task<Device?> WaitAsync(ProvisionVerdict verdict, IReadOnlySet<string> knownBefore, TimeSpan timeout,
        Func<string, ValueTask> step, CancellationToken ct)
    {
        if (verdict.DiscoveredId is { } id && !registry.TryGet(id, out _))
            return await AdoptDiscoveredAsync(id, timeout, step, ct).ConfigureAwait(false);
        if (verdict.AdoptAddress is { } address)
            return await AdoptAtAsync(address, verdict.AdoptProtocol, step, ct).ConfigureAwait(false);
        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        void OnAvailability(Device d, bool up) => changed.Release();
        registry.Changed += OnChanged;
        registry.AvailabilityChanged += OnAvailability;
        Device? found = null;
        try
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
            while (true)
            {
                var match = registry.All().FirstOrDefault(d => Matches(d, verdict, knownBefore));
                if (match is not null && found is null)
                {
                    found = match;
                    await step(ProvisionSteps.Found).ConfigureAwait(false);
                }
                if (match is { Online: true })
                {
                    await step(ProvisionSteps.Adopted).ConfigureAwait(false);
                    return match;
                }
                try
                {
                    await changed.WaitAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return found;
                }
            }
        }
        finally
        {
            registry.Changed -= OnChanged;
            registry.AvailabilityChanged -= OnAvailability;
        }
    }

    private static bool Matches(Device d, ProvisionVerdict verdict, IReadOnlySet<string> knownBefore)
    {
        // 127.0.0.1 is every simulated device's address on one machine; any other is the device's own.
        if (IPAddress.TryParse(verdict.Address, out var ip) && !ip.Equals(IPAddress.Loopback))
            return d.Binding.TryGetValue("ip", out var bound) && bound == verdict.Address;
        if (verdict.Hostname is { Length: > 0 } host && string.Equals(d.Id, host, StringComparison.OrdinalIgnoreCase)) return true;
        if (knownBefore.Contains(d.Id)) return false;
        return verdict.Name is not { Length: > 0 } name || string.Equals(d.Name, name, StringComparison.Ordinal) || verdict.Hostname is null;
    }

    /// <summary>Waits for discovery to list <paramref name="id"/> (found), then adopts it (adopted).</summary>
    private async Task<Device?> AdoptDiscoveredAsync(string id, TimeSpan timeout, Func<string, ValueTask> step, CancellationToken ct)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DiscoveredDevice d, bool present)
        {
            if (present && d.Id == id) seen.TrySetResult();
        }
        discovered.Changed += OnChanged;
        try
        {
            if (discovered.Find(id) is null)
            {
                using var deadline = new CancellationTokenSource(timeout, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
                try
                {
                    await seen.Task.WaitAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return null;
                }
            }
        }
        finally
        {
            discovered.Changed -= OnChanged;
        }
        await step(ProvisionSteps.Found).ConfigureAwait(false);
        Device device;
        try
        {
            device = await adopters.AdoptAsync(id, null, ct).ConfigureAwait(false);
        }
        catch (AdoptFailedException e)
        {
            throw new ProvisionFailedException($"the device joined the network and the bridge found it as {id}, but adopting it failed: {e.Message}. Adopt it from 'discovered' once that is fixed");
        }
        await step(ProvisionSteps.Adopted).ConfigureAwait(false);
        return device;
    }

    /// <summary>Asks what answers at the device's new address (found), then adopts it (adopted).</summary>
    private async Task<Device?> AdoptAtAsync(string address, string? protocol, Func<string, ValueTask> step, CancellationToken ct)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DiscoveredDevice d, bool present)
        {
            if (present && (protocol is null || d.Protocol == protocol)) seen.TrySetResult();
        }
        discovered.Changed += OnChanged;
        try
        {
            var adopting = adopters.AdoptAtAsync(address, protocol, null, ct);
            var found = await Task.WhenAny(seen.Task, adopting).ConfigureAwait(false) == seen.Task;
            if (found) await step(ProvisionSteps.Found).ConfigureAwait(false);
            Device device;
            try
            {
                device = await adopting.ConfigureAwait(false);
            }
            catch (AdoptFailedException e)
            {
                throw new ProvisionFailedException($"the device joined the network at {address}, but {(found ? "adopting" : "finding")} it there failed: {e.Message}. Adopt it by address (op 'adopt' with 'address') once that is fixed");
            }
            if (!found) await step(ProvisionSteps.Found).ConfigureAwait(false);
            await step(ProvisionSteps.Adopted).ConfigureAwait(false);
            return device;
        }
        finally
        {
            discovered.Changed -= OnChanged;
        }
    }
}
