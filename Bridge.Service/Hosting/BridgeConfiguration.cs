using Bridge.Service.Data;

namespace Bridge.Service.Hosting;

/// <summary>Configuration sources in the contract's order: appsettings.json, BRIDGE__ environment
/// variables, the demo's defaults, then <c>--Section:Key=value</c> arguments (last wins).</summary>
public static class BridgeConfiguration
{
    public const string DemoFlag = "--demo";

    public static void Apply(IConfigurationManager config, string[] args, bool demo)
    {
        config.Sources.Clear();
        config.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        config.AddJsonFile("appsettings.json", optional: true);
        config.AddEnvironmentVariables("BRIDGE__");
        if (demo)
        {
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Api:Bind"] = "127.0.0.1",
                ["Mqtt:Bind"] = "127.0.0.1",
                ["Data:Dir"] = DataOptions.DefaultDir() + "-demo",
                ["Demo:Enabled"] = "true",
            });
        }
        config.AddCommandLine(args);
    }

    /// <summary>Splits off the words that are not configuration (<c>--demo</c>, a sub-command).</summary>
    public static (bool Demo, string[] Remaining) TakeDemoFlag(string[] args)
    {
        var demo = args.Contains(DemoFlag);
        return (demo, args.Where(a => a != DemoFlag).ToArray());
    }
}
