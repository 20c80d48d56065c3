using Bridge.Service.Adoption;
using Bridge.Service.Demo;
using Bridge.Service.Discovery;
using Bridge.Simulator.Miio;

namespace Bridge.Service.Drivers.Miio;

/// <summary>The demo home's Xiaomi lamp. Loopback has no broadcast, so the bridge says hello to it by
/// unicast; once found, the demo adopts it with the simulator's token, as an installer would paste a
/// real device's. With the search off, the demo does not wait for it.</summary>
public sealed class MiioDemoDevices(UdpDiscoveryHost search, DiscoveredDevices discovered, AdopterRegistry adopters, Devices.DeviceRegistry registry, ILogger<MiioDemoDevices> log) : IDemoDevices
{
    private static readonly TimeSpan FindTimeout = TimeSpan.FromSeconds(60);

    public DemoDevices Create(TimeProvider time) => DemoDevices.OfLan(MiioDemo.Lamp(time));

    public IEnumerable<string> Started(DemoDevices mine)
    {
        var lamps = mine.Lan.OfType<SimulatedMiioDevice>().Where(l => l.UnicastSearchEndPoint is not null).ToArray();
        foreach (var lamp in lamps)
        {
            _ = AdoptWhenFoundAsync(lamp.DeviceId, lamp.Name);
            search.AddTarget(MiioDevices.Protocol, lamp.UnicastSearchEndPoint!);
        }
        return search.IsSearching(MiioDevices.Protocol) ? lamps.Select(l => l.DeviceId).ToArray() : [];
    }

    private async Task AdoptWhenFoundAsync(string id, string name)
    {
        var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DiscoveredDevice d, bool present)
        {
            if (present && d.Id == id) found.TrySetResult();
        }
        discovered.Changed += OnChanged;
        try
        {
            if (discovered.Find(id) is null) await found.Task.WaitAsync(FindTimeout).ConfigureAwait(false);
            await adopters.AdoptAsync(id, new AdoptCredential(AdoptCredential.Token, MiioDemo.LampToken), CancellationToken.None).ConfigureAwait(false);
            registry.Relabel(id, name, null);
        }
        catch (Exception e) when (e is TimeoutException or AdoptFailedException)
        {
            log.LogWarning("The demo's Xiaomi lamp {DeviceId} was not adopted: {Reason}", id, e.Message);
        }
        finally
        {
            discovered.Changed -= OnChanged;
        }
    }
}
