using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// A real <c>mosquitto</c> broker on a free loopback port, for tests that need an external MQTT
/// broker. Use as a class/collection fixture (started by xunit) or create one with
/// <see cref="StartNewAsync"/>. <see cref="StopAsync"/>/<see cref="StartAsync"/> take the broker down
/// and bring it back on the same port; the process is killed on dispose.
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime, IDisposable
{
    public const string DefaultExecutable = "/usr/sbin/mosquitto";

    /// <summary>Environment variable that may point at another mosquitto binary.</summary>
    public const string ExecutableVariable = "BRIDGE_TEST_MOSQUITTO";

    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private const int MaxLogLines = 400;
    private const int PortAttempts = 5;

    private static readonly ConcurrentDictionary<MosquittoFixture, bool> Live = new();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _directory;
    private Process? _process;
    private bool _disposed;

    static MosquittoFixture()
    {
        // Last resort if a test run ends without disposing its fixtures: no broker outlives the test host.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (MosquittoFixture fixture in Live.Keys)
            {
                fixture.Dispose();
            }
        };
    }

    public MosquittoFixture()
    {
        ExecutablePath = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } custom
            ? custom
            : DefaultExecutable;
        _directory = Directory.CreateTempSubdirectory("mosquitto-test-").FullName;
    }

    public string ExecutablePath { get; }

    public string Host => "127.0.0.1";

    /// <summary>The broker's port; fixed after the first start, so restarts keep it.</summary>
    public int Port { get; private set; }

    public string Url => $"mqtt://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How many times the broker process has been started.</summary>
    public int Starts { get; private set; }

    /// <summary>The broker's recent output, for failure messages.</summary>
    public string RecentLog => string.Join(Environment.NewLine, _log);

    public static bool IsInstalled => File.Exists(
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } custom ? custom : DefaultExecutable);

    public static async Task<MosquittoFixture> StartNewAsync()
    {
        var fixture = new MosquittoFixture();
        try
        {
            await fixture.StartAsync();
            return fixture;
        }
        catch
        {
            fixture.Dispose();
            throw;
        }
    }

    /// <summary>Starts the broker (xunit calls this for class and collection fixtures).</summary>
    public Task InitializeAsync() => StartAsync();

    /// <summary>Stops the broker gracefully and removes its files.</summary>
    public async Task DisposeAsync()
    {
        if (!_disposed)
        {
            await StopAsync();
        }

        Dispose();
    }

    /// <summary>
    /// Starts the broker (on the port it had before, or a free one the first time) and waits until it
    /// accepts connections. Does nothing if it is running.
    /// </summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"mosquitto is not installed (looked for {ExecutablePath}). ./test.sh installs it " +
                $"(apt-get install mosquitto); or set {ExecutableVariable} to the mosquitto binary.");
        }

        await _gate.WaitAsync();
        try
        {
            if (IsRunning)
            {
                return;
            }

            bool portIsFixed = Port != 0;
            for (int attempt = 1; ; attempt++)
            {
                if (!portIsFixed)
                {
                    Port = FreePort.GetTcp();
                }

                string? failure = await StartProcessAsync();
                if (failure is null)
                {
                    return;
                }

                // A port picked by us may have been taken in the meantime: try another one. A restart must
                // keep its port, so there it is an error.
                if (portIsFixed || attempt >= PortAttempts || !failure.Contains("in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"mosquitto did not start on {Host}:{Port}: {failure}{Environment.NewLine}--- mosquitto output ---{Environment.NewLine}{RecentLog}");
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the broker (SIGTERM, then SIGKILL after 5 s) and waits until the process has exited.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await StopProcessAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the broker, waits for it to exit, and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Live.TryRemove(this, out _);
        Process? process = Interlocked.Exchange(ref _process, null);
        if (process is not null)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(StopTimeout);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Starts the process and waits until it is ready; returns why not, or null when ready.</summary>
    private async Task<string?> StartProcessAsync()
    {
        string configPath = Path.Combine(_directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configPath, CreateConfig(Port, Environment.IsPrivilegedProcess));

        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = _directory,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(configPath);

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AddLog(e.Data);
        process.ErrorDataReceived += (_, e) => AddLog(e.Data);
        AddLog($"--- starting {ExecutablePath} on port {Port} ---");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Live.TryAdd(this, true);
        Starts++;

        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // flushes the output handlers
                string why = $"the process exited with code {process.ExitCode}" +
                    (RecentLog.Contains("in use", StringComparison.OrdinalIgnoreCase) ? " (address in use)" : "");
                _process = null;
                process.Dispose();
                return why;
            }

            if (await FreePort.IsAcceptingAsync(Port, TimeSpan.FromMilliseconds(500)) && !process.HasExited)
            {
                return null;
            }

            if (Stopwatch.GetElapsedTime(start) > ReadyTimeout)
            {
                await KillAsync(process);
                _process = null;
                return $"it did not accept connections within {ReadyTimeout.TotalSeconds:0} s";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20)); // poll interval between connect attempts
        }
    }

    private async Task StopProcessAsync()
    {
        Process? process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                _ = SendSignal(process.Id, Sigterm);
                using var cts = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    await KillAsync(process);
                }
            }

            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        using var cts = new CancellationTokenSource(StopTimeout);
        await process.WaitForExitAsync(cts.Token);
    }

    private void AddLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > MaxLogLines && _log.TryDequeue(out _))
        {
        }
    }

    internal static string CreateConfig(int port, bool runningAsRoot) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            # Written by Bridge.Tests MosquittoFixture; one broker per fixture, loopback only.
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stdout
            log_type error
            log_type warning
            log_type notice
            log_type information
            connection_messages true

            """)
        // Started as root, mosquitto switches to the 'mosquitto' user, which fails as the mapped root
        // of a user namespace (test.sh's 'unshare -rn' for non-root runs). Stay who we are instead.
        + (runningAsRoot ? "user root\n" : "");

    private const int Sigterm = 15;

    private static bool SendSignal(int pid, int signal) => NativeMethods.kill(pid, signal) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int kill(int pid, int sig);
    }
}
