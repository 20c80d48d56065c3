using System.Diagnostics;
using System.Threading.Channels;

namespace Bridge.Tests.Infrastructure;

/// <summary>A Python script run with Debian's python3 (BRIDGE_TEST_PYTHON; pymodbus is installed
/// for the system python, not for a pyenv or venv one that may come first on PATH).</summary>
public sealed class PythonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _script;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Text.StringBuilder _stderr = new();

    private PythonProcess(Process process, string script)
    {
        _process = process;
        _script = script;
    }

    public static string Python => Environment.GetEnvironmentVariable("BRIDGE_TEST_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static PythonProcess Start(string source, params string[] args)
    {
        var script = Path.Combine(Path.GetTempPath(), $"bridge-test-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, source);
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("python did not start");
        var p = new PythonProcess(process, script);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) p._lines.Writer.TryWrite(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (p._stderr) p._stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return p;
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no output from python within {timeout.TotalSeconds} s; stderr: {Stderr}");
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        File.Delete(_script);
    }
}
