using System.Diagnostics;

namespace Bridge.Tests.Infrastructure;

/// <summary>A real pseudo-terminal pair made by socat: bytes written to <see cref="A"/> come out of
/// <see cref="B"/> and back. <see cref="KillAsync"/> makes both ends vanish like an unplugged USB
/// adapter; <see cref="RestartAsync"/> brings them back on the same paths.</summary>
public sealed class SocatPair : IAsyncDisposable
{
    private readonly string _dir;
    private Process? _socat;

    private SocatPair(string dir)
    {
        _dir = dir;
        A = Path.Combine(dir, "a");
        B = Path.Combine(dir, "b");
    }

    public string A { get; }
    public string B { get; }

    public static async Task<SocatPair> StartAsync()
    {
        var pair = new SocatPair(Directory.CreateTempSubdirectory("bridge-pty-").FullName);
        await pair.RestartAsync();
        return pair;
    }

    public async Task RestartAsync()
    {
        var psi = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-d", "-d", $"pty,raw,echo=0,link={A}", $"pty,raw,echo=0,link={B}" }) psi.ArgumentList.Add(a);
        _socat = Process.Start(psi) ?? throw new InvalidOperationException("socat did not start");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _socat.ErrorDataReceived += (_, e) =>
        {
            // "-d -d" prints "starting data transfer loop" once both ptys exist.
            if (e.Data?.Contains("starting data transfer loop", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        _socat.BeginErrorReadLine();
        _socat.BeginOutputReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch
        {
            await KillAsync();
            throw;
        }
    }

    public async Task KillAsync()
    {
        if (_socat is null) return;
        _socat.Kill();
        await _socat.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _socat.Dispose();
        _socat = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
