using Bridge.Simulator.Cli;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Provisioning.SoftAp;

namespace Bridge.Tests.Simulator.Cli;

/// <summary>The simulator's <c>softap</c> command (what the SDK's tests start): one ready line with
/// the device's URL, a device the bridge provisions, "joined" printed; secrets only from files.</summary>
public sealed class SoftApCommandTests
{
    [Fact]
    public async Task Softap_command_serves_a_security_2_device_the_bridge_provisions()
    {
        var dir = Directory.CreateTempSubdirectory("softap-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "pop"), SoftApRig.Pop + "\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "pw"), SoftApRig.Password + "\n");
            var output = new ReadyWriter();
            using var stop = new CancellationTokenSource();
            var running = SoftApCommand.RunAsync(["--kind", "espidf", "--security", "2", "--pop-file", Path.Combine(dir.FullName, "pop"),
                "--ssid", "Home", "--password-file", Path.Combine(dir.FullName, "pw")], output, TextWriter.Null, stop.Token);
            var ready = await output.Line("SoftAP: espidf at ").WaitAsync(TimeSpan.FromSeconds(20));
            var url = ready["SoftAP: espidf at ".Length..];
            Assert.StartsWith("http://127.0.0.1:", url);

            await using var bridge = await TestBridge.StartAsync(null, false, "--Provision:FindTimeout=00:00:00.5");
            await using var installer = await bridge.ConnectAsync(Bridge.Service.Security.TokenScope.Install);
            var reply = await installer.RequestAsync(new { op = "provision", method = "softap", target = url, ssid = "Home", password = SoftApRig.Password, pop = SoftApRig.Pop }, TimeSpan.FromSeconds(30));

            JsonAssert.Ok(reply);
            await output.Line("SoftAP: joined Home").WaitAsync(TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            Assert.Equal(0, await running);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Security_2_without_a_pop_file_is_a_usage_error()
    {
        var error = new StringWriter();
        Assert.Equal(2, await SoftApCommand.RunAsync(["--kind", "espidf", "--security", "2"], TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("--pop-file", error.ToString());
    }

    /// <summary>Collects lines and completes a wait when one starts with the text asked for.</summary>
    private sealed class ReadyWriter : StringWriter
    {
        private readonly List<(string Prefix, TaskCompletionSource<string> Done)> _waits = [];
        private readonly List<string> _lines = [];

        public Task<string> Line(string prefix)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } seen) return Task.FromResult(seen);
                var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((prefix, done));
                return done.Task;
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lines)
            {
                _lines.Add(value ?? "");
                foreach (var (prefix, done) in _waits.Where(w => (value ?? "").StartsWith(w.Prefix, StringComparison.Ordinal))) done.TrySetResult(value!);
            }
        }
    }
}
