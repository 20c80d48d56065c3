using Bridge.Simulator.Cli;

namespace Bridge.Tests.Simulator.Cli;

/// <summary>The <c>devices</c> command of the simulator executable, run in-process.</summary>
public sealed class DevicesCommandTests
{
    [Theory]
    [InlineData("mqtt://127.0.0.1:1883", "127.0.0.1", 1883)]
    [InlineData("mqtt://localhost:2000", "localhost", 2000)]
    [InlineData("tcp://10.0.0.2", "10.0.0.2", 1883)]
    [InlineData("127.0.0.1:1884", "127.0.0.1", 1884)]
    public void Parses_broker_addresses(string url, string host, int port)
    {
        Assert.True(DevicesCommand.TryParseBroker(url, out var h, out var p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1883")]
    [InlineData("")]
    public void Refuses_other_addresses(string url) => Assert.False(DevicesCommand.TryParseBroker(url, out _, out _));

    [Fact]
    public async Task Runs_lamps_until_cancelled_and_says_when_they_are_connected()
    {
        await using var broker = await SimBroker.StartAsync();
        await using var watch = await broker.ObserveAsync("tele/+/LWT");
        var stdout = new LineWriter();
        using var cts = new CancellationTokenSource();
        var run = DevicesCommand.RunAsync(["--mqtt", $"mqtt://{SimBroker.Host}:{broker.Port}", "--lamps", "3"], stdout, TextWriter.Null, cts.Token);

        var line = await stdout.FirstLine.WaitAsync(MqttObserver.DefaultTimeout);
        Assert.Equal("Simulator: 3 devices connected", line);
        await watch.WaitForAsync(m => m.Topic == "tele/lamp-3/LWT" && m.Text == "Online");

        var mark = watch.Mark();
        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(MqttObserver.DefaultTimeout));
        await watch.WaitForAsync(m => m.Topic == "tele/lamp-1/LWT" && m.Text == "Offline", mark);
    }

    [Fact]
    public async Task Bad_options_exit_2()
    {
        Assert.Equal(2, await DevicesCommand.RunAsync(["--lamps", "zero"], TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Equal(2, await DevicesCommand.RunAsync(["--scenario", "/nonexistent/scenario.json"], TextWriter.Null, TextWriter.Null, CancellationToken.None));
    }

    private sealed class LineWriter : StringWriter
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _first.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _first.TrySetResult(value ?? "");
        }
    }
}
