using Bridge.Service.Api;
using Bridge.Service.Commands;
using Bridge.Service.Data;
using Bridge.Service.Demo;
using Bridge.Service.Devices;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Hosting;

/// <summary>Checks every options section at once, so a user sees all problems in one go.</summary>
public static class StartupProblems
{
    public static List<string> Collect(IConfiguration config)
    {
        var problems = new List<string>();
        Check<ApiOptions>(config, ApiOptions.Section, o => o.Validate(), problems);
        Check<Relay.RelayOptions>(config, Relay.RelayOptions.Section, o => o.Validate(), problems);
        Check<MqttOptions>(config, MqttOptions.Section, o => o.Validate(), problems);
        Check<DataOptions>(config, DataOptions.Section, o => o.Validate(), problems);
        Check<CommandOptions>(config, CommandOptions.Section, o => o.Validate(), problems);
        Check<DevicesOptions>(config, DevicesOptions.Section, o => o.Validate(), problems);
        Check<DemoOptions>(config, DemoOptions.Section, o => o.Validate(), problems);
        Check<Serial.SerialOptions>(config, Serial.SerialOptions.Section, o => o.Validate(config), problems);
        Check<Discovery.DiscoveryOptions>(config, Discovery.DiscoveryOptions.Section, o => o.Validate(), problems);
        Check<Adoption.AdoptOptions>(config, Adoption.AdoptOptions.Section, o => o.Validate(), problems);
        Check<Drivers.Yeelight.YeelightOptions>(config, Drivers.Yeelight.YeelightOptions.Section, o => o.Validate(), problems);
        Check<Metrics.MetricsOptions>(config, Metrics.MetricsOptions.Section, o => o.Validate(), problems);
        Check<Security.PairingOptions>(config, Security.PairingOptions.Section, o => o.Validate(), problems);
        return problems;
    }

    private static void Check<T>(IConfiguration config, string section, Func<T, IEnumerable<string>> validate, List<string> problems) where T : new()
    {
        var options = new T();
        try
        {
            config.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{section}: {e.InnerException?.Message ?? e.Message}");
            return;
        }
        problems.AddRange(validate(options));
    }

    public static int Report(IEnumerable<string> problems)
    {
        Console.Error.WriteLine("DeviceBridge cannot start; fix these settings:");
        foreach (var p in problems) Console.Error.WriteLine("  - " + p);
        return 2;
    }
}
