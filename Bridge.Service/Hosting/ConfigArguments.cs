namespace Bridge.Service.Hosting;

/// <summary>Takes the configuration words (<c>--Section:Key=value</c>, or <c>--Section:Key value</c>)
/// out of a command line before it is parsed: they are settings for <c>AddCommandLine</c>, not
/// options of any command, so the parser sees only what it must know.</summary>
public static class ConfigArguments
{
    public static (string[] Configuration, string[] Others) Split(IReadOnlyList<string> args)
    {
        var configuration = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            if (word == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }
            if (!IsKey(word, out var hasValue))
            {
                rest.Add(word);
                continue;
            }
            configuration.Add(word);
            // "--Data:Dir /srv/bridge": the value is the next word, unless that is another option
            // (then the key stays without a value, and configuration validation names it).
            if (!hasValue && i + 1 < args.Count && !args[i + 1].StartsWith('-')) configuration.Add(args[++i]);
        }
        return (configuration.ToArray(), rest.ToArray());
    }

    /// <summary>A configuration key is <c>--Section:Key</c> with at least one colon before any '='
    /// (e.g. <c>--Api:Port=0</c>, <c>--Serial:Ports:0:Path=/dev/ttyUSB0</c>).</summary>
    private static bool IsKey(string word, out bool hasValue)
    {
        hasValue = false;
        if (!word.StartsWith("--", StringComparison.Ordinal)) return false;
        var equals = word.IndexOf('=');
        var key = equals < 0 ? word[2..] : word[2..equals];
        hasValue = equals >= 0;
        var colon = key.IndexOf(':');
        return colon > 0 && colon < key.Length - 1 && !key.Contains(' ');
    }
}
