using System.CommandLine;
using Bridge.Service.Demo;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Hosting;

/// <summary>The command line without a command: runs the bridge and prints the ready lines.</summary>
public static class BridgeRunCommand
{
    public static readonly Option<bool> Demo = new("--demo")
    {
        Description = "Run with a simulated home, everything on loopback, and print a ready token and the console's address",
    };

    public static async Task<int> RunAsync(ParseResult parse, string[] configuration, CancellationToken ct)
    {
        var args = parse.GetValue(Demo) ? [BridgeConfiguration.DemoFlag, .. configuration] : configuration;
        var output = parse.InvocationConfiguration.Output;
        var problems = new List<string>();
        var created = BridgeApp.Create(args, problems);
        if (created is null) return StartupProblems.Report(problems);
        await using var app = created;
        await app.StartAsync(ct).ConfigureAwait(false);

        output.WriteLine($"Bridge id: {app.BridgeId}");
        output.WriteLine($"Local API: {app.ApiUrl}");
        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if (demo.Enabled && TokenScopes.TryParse(demo.TokenScope, out var scope))
        {
            var token = app.MintToken("demo", scope);
            await Web.ConsoleWarmUp.RunAsync(app.ConsoleUrl, app.ApiUrl, token, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Web.ConsoleWarmUp)),
                TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            output.WriteLine($"Access token: {token}");
            output.WriteLine($"Console: {app.ConsoleUrl}#token={token}");
        }
        // stdout only: the log (stderr) never carries a pairing code. A fresh code is printed
        // whenever the current one expires or is used.
        var pairing = app.Services.GetRequiredService<PairingCodes>();
        pairing.CodeChanged += code => output.WriteLine($"Pairing code: {code}");
        output.WriteLine($"Pairing code: {pairing.Current}");
        app.Services.GetService<Relay.RelayLink>()?.OnConnected(() => output.WriteLine("Relay: connected"));
        output.Flush();
        await app.Web.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
