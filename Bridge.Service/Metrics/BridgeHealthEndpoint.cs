using System.Text;
using Bridge.Service.Api;
using Bridge.Service.Devices;
using Bridge.Service.Relay;

namespace Bridge.Service.Metrics;

/// <summary><c>/healthz</c> and Prometheus-style <c>/metrics</c> on the local API's port: counts
/// only (devices, subscribers, the relay link), nothing that identifies a token or a device.</summary>
public static class BridgeHealthEndpoint
{
    public static void MapBridgeHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", (DeviceRegistry registry, EventHub hub, Commands.CommandMetrics commands, IServiceProvider services) =>
        {
            var devices = registry.All();
            var link = services.GetService<RelayLink>();
            var counters = services.GetService<RelayCounters>();
            var s = new StringBuilder();
            Metric(s, "bridge_devices", "gauge", "Devices the bridge knows.", devices.Count);
            Metric(s, "bridge_devices_online", "gauge", "Devices online now.", devices.Count(d => d.Online));
            Metric(s, "bridge_event_subscribers", "gauge", "Sessions subscribed to events.", hub.SubscriberCount);
            Metric(s, "bridge_relay_connected", "gauge", "1 while the relay link is up (0 without Relay:Url).", link?.IsConnected == true ? 1 : 0);
            Metric(s, "bridge_relay_connects_total", "counter", "Successful relay handshakes.", link?.Connects ?? 0);
            Metric(s, "bridge_relay_sessions_total", "counter", "Sessions the relay asked to open.", counters?.Opens ?? 0);
            Metric(s, "bridge_relay_sessions_refused_total", "counter", "Relayed sessions the bridge refused (bad token).", counters?.Refused ?? 0);
            // Broker accounts: counts only, never a user name (a device account's user name is its id).
            if (services.GetService<Mqtt.Accounts.BrokerAccessControl>() is { } access)
            {
                Metric(s, "bridge_mqtt_accounts", "gauge", "Accounts the embedded broker admits.", services.GetRequiredService<Mqtt.Accounts.AccountBook>().Count);
                Metric(s, "bridge_mqtt_refused_connects_total", "counter", "MQTT connections refused (no account, wrong password).", access.RefusedConnects);
                Metric(s, "bridge_mqtt_refused_publishes_total", "counter", "MQTT publishes refused (outside the account's rights).", access.RefusedPublishes);
                Metric(s, "bridge_mqtt_refused_subscriptions_total", "counter", "MQTT subscriptions refused (outside the account's rights).", access.RefusedSubscriptions);
            }
            commands.Render(s);
            return Results.Text(s.ToString(), "text/plain; version=0.0.4");
        });
    }

    private static void Metric(StringBuilder s, string name, string type, string help, long value) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
         .Append(name).Append(' ').Append(value).Append('\n');
}
