using Bridge.Service.Demo;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Hosting;

/// <summary>The command line: sub-commands, or run the bridge and print the ready lines.</summary>
public static class BridgeProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "token") return TokenCommand.Run(args[1..]);

        var problems = new List<string>();
        var created = BridgeApp.Create(args, problems);
        if (created is null) return StartupProblems.Report(problems);
        await using var app = created;
        await app.StartAsync().ConfigureAwait(false);

        Console.Out.WriteLine($"Bridge id: {app.BridgeId}");
        Console.Out.WriteLine($"Local API: {app.ApiUrl}");
        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if (demo.Enabled && TokenScopes.TryParse(demo.TokenScope, out var scope))
            Console.Out.WriteLine($"Access token: {app.MintToken("demo", scope)}");
        // stdout only: the log (stderr) never carries a pairing code. A fresh code is printed
        // whenever the current one expires or is used.
        var pairing = app.Services.GetRequiredService<PairingCodes>();
        pairing.CodeChanged += code => Console.Out.WriteLine($"Pairing code: {code}");
        Console.Out.WriteLine($"Pairing code: {pairing.Current}");
        app.Services.GetService<Relay.RelayLink>()?.OnConnected(() => Console.Out.WriteLine("Relay: connected"));
        Console.Out.Flush();
        await app.Web.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
