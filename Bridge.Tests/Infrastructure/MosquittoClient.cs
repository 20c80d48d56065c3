using System.Diagnostics;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>Debian's real <c>mosquitto_pub</c>/<c>mosquitto_sub</c> (mosquitto-clients) against a broker on
/// loopback. A user name and password travel in the clients' own options file
/// (<c>$XDG_CONFIG_HOME/mosquitto_pub</c>), never on the command line.</summary>
public sealed class MosquittoClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly string _configDir = Directory.CreateTempSubdirectory("mosquitto-client-").FullName;
    private readonly int _port;

    public MosquittoClient(int port, string? username = null, string? password = null)
    {
        _port = port;
        var options = new StringBuilder();
        if (username is not null) options.Append("-u ").Append(username).Append('\n');
        if (password is not null) options.Append("-P ").Append(password).Append('\n');
        foreach (var tool in new[] { "mosquitto_pub", "mosquitto_sub" })
            File.WriteAllText(Path.Combine(_configDir, tool), options.ToString());
    }

    /// <summary>Runs <c>mosquitto_pub</c> to the end: exit code and everything it printed.</summary>
    public async Task<(int Exit, string Output)> PublishAsync(params string[] args)
    {
        using var process = Start("mosquitto_pub", args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mosquitto_pub {string.Join(' ', args)} did not end within {DefaultTimeout}");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts <c>mosquitto_sub</c>; read its lines from the returned process (dispose it to stop it).</summary>
    public Subscriber Subscribe(params string[] args) => new(Start("mosquitto_sub", args, lineBuffered: true));

    /// <param name="lineBuffered">Through coreutils' stdbuf: mosquitto_sub's stdio would hold its lines
    /// back in a block buffer when writing to a pipe.</param>
    private Process Start(string tool, string[] args, bool lineBuffered = false)
    {
        var info = new ProcessStartInfo(lineBuffered ? "stdbuf" : tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["XDG_CONFIG_HOME"] = _configDir;
        if (lineBuffered)
        {
            info.ArgumentList.Add("-oL");
            info.ArgumentList.Add(tool);
        }
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(args))
            info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
    }

    public void Dispose() => Directory.Delete(_configDir, recursive: true);

    /// <summary>A running <c>mosquitto_sub</c>: every line it prints (stdout and stderr), in order.</summary>
    public sealed class Subscriber : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly SemaphoreSlim _arrived = new(0);

        internal Subscriber(Process process)
        {
            _process = process;
            _ = PumpAsync(process.StandardOutput);
            _ = PumpAsync(process.StandardError);
        }

        public string Output
        {
            get
            {
                lock (_lines) return string.Join('\n', _lines);
            }
        }

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        /// <summary>Waits for a line that contains <paramref name="text"/>; throws naming what it saw instead.</summary>
        public async Task<string> WaitLineAsync(string text, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
            var seen = 0;
            while (true)
            {
                lock (_lines)
                {
                    for (; seen < _lines.Count; seen++)
                        if (_lines[seen].Contains(text, StringComparison.Ordinal)) return _lines[seen];
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                    throw new TimeoutException($"mosquitto_sub printed no line with '{text}'; it printed:\n{Output}");
            }
        }

        public async Task<int> WaitExitAsync(TimeSpan? timeout = null)
        {
            using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }

        private async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_lines) _lines.Add(line);
                _arrived.Release();
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
