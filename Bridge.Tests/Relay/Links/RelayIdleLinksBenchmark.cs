using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Bridge.Protocols.Relay;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Relay.Links;

/// <summary>How much memory a relay node needs per idle bridge: N bridges (each with its own key)
/// link to a relay process and stay idle; the relay's RSS is read from /proc. Runs only with
/// BRIDGE_BENCH_OUT set (a file the figures are appended to); otherwise it does nothing.</summary>
public sealed class RelayIdleLinksBenchmark
{
    [Fact]
    public async Task Idle_bridge_links_per_relay_node()
    {
        var output = Environment.GetEnvironmentVariable("BRIDGE_BENCH_OUT");
        if (string.IsNullOrEmpty(output)) return;
        var count = int.TryParse(Environment.GetEnvironmentVariable("BRIDGE_BENCH_LINKS"), out var n) ? n : 10_000;
        await using var relay = await RelayProcess.StartAsync("--Relay:Port=0", "--Relay:MaxConnectionsPerAddress=1000000",
            "--Relay:HandshakesPerSecondPerAddress=1000000", "--Relay:HandshakeBurstPerAddress=1000000");
        var before = Rss(relay.Pid);
        var sockets = new List<ClientWebSocket>(count);
        try
        {
            for (var start = 0; start < count; start += 200)
            {
                var batch = Enumerable.Range(start, Math.Min(200, count - start)).Select(_ => LinkAsync(relay.Url!)).ToArray();
                sockets.AddRange(await Task.WhenAll(batch));
            }
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(relay.Url!.Replace("ws://", "http://") + "/metrics");
            Assert.Contains($"relay_bridges_connected {count}", metrics);
            GC.KeepAlive(sockets);
            var after = Rss(relay.Pid);
            File.AppendAllText(output, $"relay idle links: {count} bridges linked, relay RSS {before / 1024} MiB before, {after / 1024} MiB after " +
                                       $"({(after - before) / (double)count:0.0} KiB per link)\n");
        }
        finally
        {
            foreach (var s in sockets) s.Abort();
            foreach (var s in sockets) s.Dispose();
        }
    }

    private static async Task<ClientWebSocket> LinkAsync(string url)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(url + "/api/v1/bridge"), CancellationToken.None);
        var buffer = new byte[4096];
        var challenge = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var nonce = RelayHandshake.ReadNonce(Encoding.UTF8.GetString(buffer, 0, challenge.Count))!;
        await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.Answer(key, nonce)), WebSocketMessageType.Text, true, CancellationToken.None);
        var verdict = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("\"ok\":true", Encoding.UTF8.GetString(buffer, 0, verdict.Count));
        return socket;
    }

    /// <summary>VmRSS in KiB.</summary>
    private static long Rss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
