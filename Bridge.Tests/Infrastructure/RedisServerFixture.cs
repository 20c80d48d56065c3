using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>A real <c>redis-server</c> (Debian's) on a free loopback port, in a directory of its own,
/// with nothing saved to disk. <see cref="KillAsync"/> and <see cref="StartAsync"/> take it down
/// hard and bring it back, empty, on the same port; it is killed on dispose.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/redis-server";
    public const string ExecutableVariable = "BRIDGE_TEST_REDIS";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Executable { get; } =
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } custom ? custom : DefaultExecutable;

    public int Port { get; private set; }

    /// <summary>The connection string for <c>Relay:Redis</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public Task InitializeAsync() => StartAsync();

    public async Task DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Starts the server (on its former port after a kill) and returns once it answers PING.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"redis-server is not installed ({Executable}); ./test.sh installs it (apt-get install redis-server), or set {ExecutableVariable}.");
        if (Port == 0) Port = FreePort.GetTcp();
        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory })
            start.ArgumentList.Add(arg);
        var ready = _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // This run's readiness only: a killed predecessor's exit must not fail its successor.
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited before it was ready:\n{string.Join('\n', _log)}"));
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        // Its own word that it listens, then one PING to prove it answers.
        try { await ready.Task.WaitAsync(ReadyTimeout); }
        catch (TimeoutException) { throw new InvalidOperationException($"redis-server did not get ready on port {Port}:\n{string.Join('\n', _log)}"); }
        if (!await AnswersPingAsync())
            throw new InvalidOperationException($"redis-server said it was ready but did not answer PING on port {Port}:\n{string.Join('\n', _log)}");
    }

    /// <summary>SIGKILL, like a crash: clients see their connections drop; all data is gone.</summary>
    public async Task KillAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null) return;
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private async Task<bool> AnswersPingAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token);
            await socket.SendAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var answer = new byte[16];
            var read = await socket.ReceiveAsync(answer, timeout.Token);
            return Encoding.ASCII.GetString(answer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Log(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        if (line.Contains("Ready to accept connections", StringComparison.Ordinal)) _ready.TrySetResult();
        while (_log.Count > 200 && _log.TryDequeue(out _)) { }
    }
}
