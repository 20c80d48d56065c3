using Bridge.Simulator.Home;
using Bridge.Service.Mqtt.Accounts;
using Bridge.Simulator;

namespace Bridge.Service.Demo;

/// <summary>Gives each simulated MQTT device its own broker account, made the way adopting a real device
/// makes it (with the facts its protocol module records), so the demo runs with the broker's secure
/// default: no anonymous client, each device confined to its own topics.</summary>
public static class DemoAccounts
{
    public static void Give(SimulatedHome home, DeviceAccounts accounts, IEnumerable<IDemoDevices> modules)
    {
        var all = modules.ToArray();
        foreach (var device in home.Devices)
        {
            var facts = all.Select(m => m.AccountFacts(device)).FirstOrDefault(f => f.Count > 0) ?? new Dictionary<string, string>();
            var account = accounts.CreateFor(device.Protocol, device.Id, facts);
            device.UseAccount(account.Username, account.Password);
        }
    }
}
