using System.CommandLine;
using Bridge.Service.Data;
using Bridge.Service.Security;

namespace Bridge.Service.Hosting;

/// <summary><c>token --name NAME [--scope control|install|admin] [--days N] [--Data:Dir=DIR]</c>:
/// mints a token on the bridge's own machine and prints it alone on stdout.</summary>
public static class TokenCommand
{
    public static Command Create(string[] configuration)
    {
        var name = new Option<string>("--name") { Description = "who the token is for, as the tokens list shows it", Required = true };
        var scope = new Option<string>("--scope") { Description = "what the token may do", DefaultValueFactory = _ => "control" };
        scope.AcceptOnlyFromAmong("control", "install", "admin");
        var days = new Option<int>("--days") { Description = "how long the token lasts", DefaultValueFactory = _ => 365 };
        days.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--days must be at least 1");
        });
        var command = new Command("token", "Mint an access token on this machine and print it alone on stdout " +
            "(--Data:Dir=DIR for another data directory)") { name, scope, days };
        command.SetAction(parse =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(name)))
            {
                parse.InvocationConfiguration.Error.WriteLine("--name must not be empty");
                return BridgeCommandLine.UsageError;
            }
            TokenScopes.TryParse(parse.GetValue(scope)!, out var tokenScope);
            var config = new ConfigurationManager();
            BridgeConfiguration.Apply(config, configuration, demo: false);
            var data = new DataOptions();
            config.GetSection(DataOptions.Section).Bind(data);
            using var identity = BridgeIdentity.LoadOrCreate(data.Dir);
            // Recorded in the token store, so the bridge's admin ops can list and revoke it.
            var store = new TokenStore(data.Dir, TimeProvider.System);
            var token = new TokenService(identity, TimeProvider.System, store).Mint(parse.GetValue(name)!, tokenScope, TimeSpan.FromDays(parse.GetValue(days)));
            parse.InvocationConfiguration.Output.WriteLine(token);
            return 0;
        });
        return command;
    }
}
