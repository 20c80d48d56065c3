using System.CommandLine;
using System.CommandLine.Help;

namespace Bridge.Service.Hosting;

/// <summary>The bridge's command line (System.CommandLine): without a command it runs the bridge;
/// sub-commands are listed in <see cref="Commands"/>. Configuration words (<c>--Section:Key=value</c>)
/// are taken out first and given to whichever command runs. Unknown words print what is known and
/// exit 2 before anything starts.</summary>
public static class BridgeCommandLine
{
    public const int UsageError = 2;

    /// <summary>Every sub-command. Adding one is a file with a <c>Create(configuration)</c> and a line here.</summary>
    private static IEnumerable<Command> Commands(string[] configuration) =>
    [
        TokenCommand.Create(configuration),
        ProvisionCommand.Create(configuration),
    ];

    public static RootCommand Create(string[] configuration)
    {
        var root = new RootCommand("DeviceBridge: a bridge between WeChat mini-programs and the smart devices on a home's LAN. " +
            "Without a command it runs the bridge.");
        root.Options.Add(BridgeRunCommand.Demo);
        root.SetAction((parse, ct) => BridgeRunCommand.RunAsync(parse, configuration, ct));
        foreach (var command in Commands(configuration)) root.Subcommands.Add(command);
        foreach (var option in root.Options)
            if (option is HelpOption help && help.Action is HelpAction inner) help.Action = new HelpWithSettings(inner);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var (configuration, rest) = ConfigArguments.Split(args);
        var root = Create(configuration);
        // ProcessTerminationTimeout null: SIGTERM is the host's to handle (a clean stop, exit 0), not the parser's.
        var invocation = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error, ProcessTerminationTimeout = null };
        // No @response-file expansion: a word starting with '@' is taken as it is.
        var parse = root.Parse(rest, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count == 0 || parse.Action is HelpWithSettings) return await parse.InvokeAsync(invocation).ConfigureAwait(false);

        foreach (var problem in parse.Errors) invocation.Error.WriteLine(problem.Message);
        invocation.Error.WriteLine();
        // What is known: the help of the command the words were meant for.
        var path = new List<string> { "--help" };
        for (var command = parse.CommandResult; command.Parent is System.CommandLine.Parsing.CommandResult parent; command = parent)
            path.Insert(0, command.Command.Name);
        await root.Parse(path).InvokeAsync(new InvocationConfiguration { Output = invocation.Error, Error = invocation.Error }).ConfigureAwait(false);
        return UsageError;
    }

    /// <summary>The library's help, then (for the bridge itself) the main settings, which are
    /// configuration keys rather than options the parser knows.</summary>
    private sealed class HelpWithSettings(HelpAction inner) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            inner.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand)
                MainSettings.Write(parseResult.InvocationConfiguration.Output);
            return 0;
        }
    }
}
