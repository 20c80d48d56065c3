namespace Bridge.Relay.Hosting;

/// <summary>Runs one relay node and prints <c>Relay: ws://host:port</c> once it is ready.</summary>
public static class RelayProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var problems = new List<string>();
        var created = RelayApp.Create(args, problems);
        if (created is null)
        {
            Console.Error.WriteLine("Bridge.Relay cannot start; fix these settings:");
            foreach (var p in problems) Console.Error.WriteLine("  - " + p);
            return 2;
        }
        await using var app = created;
        await app.StartAsync().ConfigureAwait(false);
        Console.Out.WriteLine($"Relay: {app.Url}");
        Console.Out.Flush();
        await app.Web.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
