using System.Globalization;

namespace Bridge.Simulator.LoadGen;

/// <summary>Settings of one load-generator run, as given on the command line.</summary>
public sealed record LoadGenOptions
{
    public const string DefaultUrl = "ws://127.0.0.1:8970/api/v1/ws";

    public Uri Url { get; init; } = new(DefaultUrl);

    public string Token { get; init; } = "";

    /// <summary>How many WebSocket connections (simulated users) to open.</summary>
    public int Connections { get; init; } = 1;

    /// <summary>How many commands are in flight at once, across all connections.</summary>
    public int InFlight { get; init; } = 1;

    /// <summary>How many measured commands to send in total (warm-up not included).</summary>
    public int Count { get; init; } = 1000;

    /// <summary>Warm-up commands sent before measuring; null means min(1000, Count / 10).</summary>
    public int? WarmupOverride { get; init; }

    /// <summary>Devices to command; null means every discovered device with a power capability.</summary>
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary>How many commands one device may have in flight at once (1: one at a time per
    /// device, as before; more: several sets to one lamp pipelined, CONTRACT.md "Several commands
    /// to one device", with alternating values so each reply must carry its own).</summary>
    public int PerDevice { get; init; } = 1;

    /// <summary>Scene mode: one set to every device at once on one connection.</summary>
    public bool Scene { get; init; }

    /// <summary>Ping mode: <c>ping</c> requests, which the bridge answers itself, so devices are out of
    /// the way and a relay in between is what gets measured.</summary>
    public bool Ping { get; init; }

    /// <summary>How long the load generator waits for one reply before counting it as an error.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting (and the initial device listing) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int Warmup => WarmupOverride ?? Math.Min(1000, Count / 10);
}

/// <summary>Outcome of parsing the command line.</summary>
public readonly record struct LoadGenParseResult(LoadGenOptions? Options, string? Error, bool HelpRequested)
{
    public bool Success => Options is not null;
}

/// <summary>Parses <c>loadgen --url ... --token ... --connections K --inflight C --count N [--devices a,b] [--scene]</c>.</summary>
public static class LoadGenOptionsParser
{
    public const string Usage =
        """
        usage: loadgen --url ws://127.0.0.1:PORT/api/v1/ws --token TOKEN
                       [--connections K] [--inflight C] [--count N] [--warmup W]
                       [--devices id1,id2,...] [--per-device P] [--scene | --ping] [--timeout SECONDS]

          --url          the bridge's local API (default ws://127.0.0.1:8970/api/v1/ws)
          --token        access token, sent as "Authorization: Bearer" (or env BRIDGE_TOKEN)
          --connections  WebSocket connections to open (default 1)
          --inflight     commands in flight at once across all connections (default 1)
          --count        measured set commands in total (default 1000)
          --warmup       warm-up commands, not measured (default min(1000, count/10))
          --devices      devices to command (default: every controllable device with 'power')
          --per-device   commands one device may have in flight at once (default 1)
          --scene        send one set to every device at once on one connection instead
          --ping         send 'ping' (answered by the bridge itself) instead of sets: no devices
                         involved, for measuring the transport or a relay
          --timeout      seconds to wait for one reply before counting an error (default 30)

        Prints one JSON line with the results on stdout.
        Exit codes: 0 done, 1 cannot connect or nothing to command, 2 bad arguments.
        """;

    public static LoadGenParseResult Parse(IReadOnlyList<string> args, Func<string, string?>? getEnvironment = null)
    {
        getEnvironment ??= Environment.GetEnvironmentVariable;
        var options = new LoadGenOptions();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;

        int i = 0;
        // Tolerate being handed the whole command line including the sub-command name.
        if (args.Count > 0 && args[0] == "loadgen")
        {
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new LoadGenParseResult(null, null, HelpRequested: true);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                return Fail($"unexpected argument '{arg}'");
            }

            string name;
            string? inlineValue = null;
            int eq = arg.IndexOf('=');
            if (eq > 0)
            {
                name = arg[2..eq];
                inlineValue = arg[(eq + 1)..];
            }
            else
            {
                name = arg[2..];
            }

            if (!seen.Add(name))
            {
                return Fail($"--{name} given more than once");
            }

            if (name is "scene" or "ping")
            {
                bool flag = true;
                if (inlineValue is not null && !bool.TryParse(inlineValue, out flag))
                {
                    return Fail($"--{name} takes no value (or true/false)");
                }

                options = name == "scene" ? options with { Scene = flag } : options with { Ping = flag };
                continue;
            }

            string? value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return Fail($"--{name} needs a value");
                }

                value = args[++i];
            }

            switch (name)
            {
                case "url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? url) || (url.Scheme != "ws" && url.Scheme != "wss"))
                    {
                        return Fail($"--url must be an absolute ws:// or wss:// URL, got '{value}'");
                    }

                    options = options with { Url = url };
                    break;
                case "token":
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        return Fail("--token must not be empty");
                    }

                    token = value;
                    break;
                case "connections":
                    if (!TryPositive(value, out int k))
                    {
                        return Fail($"--connections must be a positive integer, got '{value}'");
                    }

                    options = options with { Connections = k };
                    break;
                case "inflight":
                    if (!TryPositive(value, out int c))
                    {
                        return Fail($"--inflight must be a positive integer, got '{value}'");
                    }

                    options = options with { InFlight = c };
                    break;
                case "count":
                    if (!TryPositive(value, out int n))
                    {
                        return Fail($"--count must be a positive integer, got '{value}'");
                    }

                    options = options with { Count = n };
                    break;
                case "warmup":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int w))
                    {
                        return Fail($"--warmup must be a non-negative integer, got '{value}'");
                    }

                    options = options with { WarmupOverride = w };
                    break;
                case "timeout":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                        || !(seconds > 0) || seconds > 3600)
                    {
                        return Fail($"--timeout must be a number of seconds between 0 and 3600, got '{value}'");
                    }

                    options = options with { CommandTimeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "per-device":
                    if (!TryPositive(value, out int p))
                    {
                        return Fail($"--per-device must be a positive integer, got '{value}'");
                    }

                    options = options with { PerDevice = p };
                    break;
                case "devices":
                    var devices = new List<string>();
                    foreach (string part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!devices.Contains(part, StringComparer.Ordinal))
                        {
                            devices.Add(part);
                        }
                    }

                    if (devices.Count == 0)
                    {
                        return Fail("--devices needs at least one device id");
                    }

                    options = options with { Devices = devices };
                    break;
                default:
                    return Fail($"unknown option --{name}");
            }
        }

        if (options.Scene && options.Ping)
        {
            return Fail("--scene and --ping cannot be combined");
        }

        token ??= getEnvironment("BRIDGE_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            return Fail("--token is required (or set BRIDGE_TOKEN)");
        }

        return new LoadGenParseResult(options with { Token = token }, null, false);

        static LoadGenParseResult Fail(string error) => new(null, error, false);
    }

    private static bool TryPositive(string value, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result > 0;
}
