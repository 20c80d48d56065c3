using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Bridge.Tests.Infrastructure;

/// <summary>The bridge as a user runs it: a separate process, read through its stdout.</summary>
public sealed partial class BridgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    private BridgeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Take(e.Data);
        process.ErrorDataReceived += (_, e) => Take(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_all) return string.Join('\n', _all); }
    }

    public string? ApiUrl { get; private set; }
    public string? Token { get; private set; }
    public string? BridgeId { get; private set; }
    /// <summary>The demo's <c>Console: http://…/#token=…</c> address.</summary>
    public string? ConsoleUrl { get; private set; }
    public int ExitCode => _process.ExitCode;
    /// <summary>The bridge's own process (its CPU time, for the idle benchmarks).</summary>
    public Process Process => _process;

    private void Take(string? line)
    {
        if (line is null) return;
        lock (_all) _all.Add(line);
        _lines.Writer.TryWrite(line);
    }

    public static BridgeProcess Start(params string[] args) => StartWithEnvironment(new Dictionary<string, string>(), args);

    public static BridgeProcess StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Bridge.Service.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return new BridgeProcess(Process.Start(info)!);
    }

    /// <summary>Reads stdout until the ready lines of a demo run have all appeared.</summary>
    public async Task WaitReadyAsync(bool expectToken, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (ApiUrl is null || (expectToken && (Token is null || ConsoleUrl is null)))
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                if (ApiLine().Match(line) is { Success: true } api) ApiUrl = api.Groups[1].Value;
                else if (line.StartsWith("Access token: ", StringComparison.Ordinal)) Token = line["Access token: ".Length..];
                else if (line.StartsWith("Bridge id: ", StringComparison.Ordinal)) BridgeId = line["Bridge id: ".Length..];
                else if (line.StartsWith("Console: ", StringComparison.Ordinal)) ConsoleUrl = line["Console: ".Length..];
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException("the bridge did not print its ready lines; output:\n" + Output);
        }
    }

    public async Task<int> WaitExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Kill9() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as systemd stops the service.</summary>
    public void Terminate() => Assert.Equal(0, SendSignal(_process.Id, 15));

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"^Local API: (ws://127\.0\.0\.1:\d+/api/v1/ws)$")]
    private static partial Regex ApiLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
