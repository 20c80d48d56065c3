using Bridge.Service.Data;
using Bridge.Service.Security;

namespace Bridge.Service.Hosting;

/// <summary><c>token --name NAME [--scope control|install|admin] [--days N]</c>: mints a token on
/// the bridge's own machine and prints it alone on stdout.</summary>
public static class TokenCommand
{
    public static int Run(string[] args)
    {
        string? name = null, scopeText = "control";
        var days = 365;
        var configArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--name" when i + 1 < args.Length: name = args[++i]; break;
                case "--scope" when i + 1 < args.Length: scopeText = args[++i]; break;
                case "--days" when i + 1 < args.Length && int.TryParse(args[i + 1], out var d) && d > 0: days = d; i++; break;
                default: configArgs.Add(args[i]); break;
            }
        }
        if (string.IsNullOrWhiteSpace(name) || !TokenScopes.TryParse(scopeText, out var scope))
        {
            Console.Error.WriteLine("usage: token --name NAME [--scope control|install|admin] [--days N] [--Data:Dir=DIR]");
            return 2;
        }
        var config = new ConfigurationManager();
        BridgeConfiguration.Apply(config, configArgs.ToArray(), demo: false);
        var data = new DataOptions();
        config.GetSection(DataOptions.Section).Bind(data);
        using var identity = BridgeIdentity.LoadOrCreate(data.Dir);
        // Recorded in the token store, so the bridge's admin ops can list and revoke it.
        var store = new TokenStore(data.Dir, TimeProvider.System);
        Console.Out.WriteLine(new TokenService(identity, TimeProvider.System, store).Mint(name, scope, TimeSpan.FromDays(days)));
        return 0;
    }
}
