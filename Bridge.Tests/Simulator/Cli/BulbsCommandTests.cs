using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bridge.Protocols.Yeelight;
using Bridge.Simulator.Cli;

namespace Bridge.Tests.Simulator.Cli;

/// <summary><c>devices --bulbs N</c>: simulated Yeelight bulbs from the simulator's command line.</summary>
public sealed partial class BulbsCommandTests
{
    [Fact]
    public async Task Bulbs_say_where_they_listen_and_answer_a_search_there()
    {
        var stdout = new ReadyWriter();
        using var cts = new CancellationTokenSource();
        var run = DevicesCommand.RunAsync(["--bulbs", "2"], stdout, TextWriter.Null, cts.Token);
        await stdout.Ready.WaitAsync(TimeSpan.FromSeconds(15));
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bulbs = lines.Select(l => BulbLine().Match(l)).Where(m => m.Success).ToArray();
        Assert.Equal(2, bulbs.Length);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendToAsync(YeelightSearch.Request.ToArray(), SocketFlags.None, IPEndPoint.Parse(bulbs[0].Groups["search"].Value));
        var buffer = new byte[YeelightConstants.MaxDatagramBytes];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var got = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.True(YeelightSearch.TryParseAdvert(buffer.AsSpan(0, got), out var advert, out var error), error);
        Assert.Equal(bulbs[0].Groups["id"].Value, YeelightIds.DeviceId(advert!.Id));
        Assert.Equal(bulbs[0].Groups["control"].Value, $"{advert.Host}:{advert.Port}");

        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [GeneratedRegex(@"^Simulator: yeelight (?<id>\S+) control (?<control>\S+) search unicast (?<search>\S+)$")]
    private static partial Regex BulbLine();

    private sealed class ReadyWriter : StringWriter
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Ready => _ready.Task;

        public override void WriteLine(string? value)
        {
            lock (this) base.WriteLine(value);
            if (value?.EndsWith("devices connected", StringComparison.Ordinal) == true) _ready.TrySetResult();
        }

        public override string ToString()
        {
            lock (this) return base.ToString();
        }
    }
}
