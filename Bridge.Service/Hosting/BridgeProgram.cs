namespace Bridge.Service.Hosting;

/// <summary>The program's entry: the command line decides what runs.</summary>
public static class BridgeProgram
{
    public static Task<int> RunAsync(string[] args) => BridgeCommandLine.RunAsync(args);
}
