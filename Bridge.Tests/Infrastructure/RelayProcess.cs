using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Bridge.Tests.Infrastructure;

/// <summary>The relay as an operator runs it: its own process, read through stdout.</summary>
public sealed partial class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    private RelayProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Take(e.Data);
        process.ErrorDataReceived += (_, e) => Take(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string? Url { get; private set; }
    public int Pid => _process.Id;

    public string Output
    {
        get { lock (_all) return string.Join('\n', _all); }
    }

    private void Take(string? line)
    {
        if (line is null) return;
        lock (_all) _all.Add(line);
        _lines.Writer.TryWrite(line);
    }

    public static async Task<RelayProcess> StartAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bridge.Relay.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        var relay = new RelayProcess(Process.Start(info)!);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (relay.Url is null)
            {
                var line = await relay._lines.Reader.ReadAsync(cts.Token);
                if (ReadyLine().Match(line) is { Success: true } m) relay.Url = m.Groups[1].Value;
            }
        }
        catch (OperationCanceledException)
        {
            await relay.DisposeAsync();
            throw new TimeoutException("the relay did not print its ready line; output:\n" + relay.Output);
        }
        return relay;
    }

    [GeneratedRegex(@"^Relay: (ws://127\.0\.0\.1:\d+)$")]
    private static partial Regex ReadyLine();

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
