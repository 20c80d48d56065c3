using Bridge.Protocols.Tuya;
using Bridge.Service.Adoption;
using Bridge.Service.Demo;
using Bridge.Simulator.Tuya;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>The demo home's Tuya bulb. Loopback carries no broadcast and the twin serves a free port rather than
/// 6668, so the demo declares it as a <c>Devices:Static</c> entry would (address, port, version), then adopts it
/// with the simulator's local key, as an installer would paste a real device's. With Tuya off, the demo does not
/// wait for it.</summary>
public sealed class TuyaDemoDevices(TuyaDevices devices, IOptions<TuyaOptions> options, AdopterRegistry adopters, Devices.DeviceRegistry registry, ILogger<TuyaDemoDevices> log) : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.OfLan(TuyaDemo.Bulb(time));

    public IEnumerable<string> Started(DemoDevices mine)
    {
        if (!options.Value.Enabled) return [];
        var bulbs = mine.Lan.OfType<SimulatedTuyaDevice>().Where(b => b.Port != 0).ToArray();
        foreach (var bulb in bulbs)
        {
            devices.Seen(new TuyaAnnouncement(bulb.DevId, bulb.Address.ToString(), bulb.ProductKey, bulb.Version), bulb.Port, "demo", bulb.Name);
            _ = AdoptAsync(bulb.DeviceId, bulb.Name);
        }
        return bulbs.Select(b => b.DeviceId).ToArray();
    }

    private async Task AdoptAsync(string id, string name)
    {
        try
        {
            await adopters.AdoptAsync(id, new AdoptCredential(AdoptCredential.Key, TuyaDemo.BulbLocalKey), CancellationToken.None).ConfigureAwait(false);
            registry.Relabel(id, name, null);
        }
        catch (AdoptFailedException e)
        {
            log.LogWarning("The demo's Tuya bulb {DeviceId} was not adopted: {Reason}", id, e.Message);
        }
    }
}
