using Bridge.Service.Drivers.Tasmota;
using Bridge.Service.Mqtt.Accounts;
using Bridge.Simulator;
using Bridge.Simulator.Tasmota;

namespace Bridge.Service.Demo;

/// <summary>Gives each simulated MQTT device its own broker account, made the way adopting a real device
/// makes it, so the demo runs with the broker's secure default: no anonymous client, each device
/// confined to its own topics.</summary>
public static class DemoAccounts
{
    public static void Give(SimulatedHome home, DeviceAccounts accounts)
    {
        foreach (var device in home.Devices)
        {
            var facts = new Dictionary<string, string>(StringComparer.Ordinal);
            if (device is TasmotaDevice tasmota) facts[TasmotaMqttRights.MacFact] = tasmota.Mac;
            var account = accounts.CreateFor(device.Protocol, device.Id, facts);
            device.UseAccount(account.Username, account.Password);
        }
    }
}
