using Bridge.Service.StartupChecks;
namespace Bridge.Service.Hosting;

/// <summary>Prints what stops the bridge from starting. The problems come from every options
/// section's validators and every other <see cref="IStartupCheck"/> (<see cref="ValidatedOptions.Collect"/>).</summary>
public static class StartupProblems
{
    public static int Report(IEnumerable<string> problems)
    {
        Console.Error.WriteLine("DeviceBridge cannot start; fix these settings:");
        foreach (var p in problems) Console.Error.WriteLine("  - " + p);
        return 2;
    }
}
