using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The bridge's announcement on a real socket, inside the test network namespace only.</summary>
public sealed class MdnsResponderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [NetnsFact]
    public async Task Python_zeroconf_browses_and_resolves_the_bridge()
    {
        var clock = Stopwatch.StartNew();
        await using var bridge = await TestBridge.StartAsync();
        var ad = await Wait.ForAsync(bridge.App.Services.GetRequiredService<MdnsResponder>().Announced, Timeout, "the mDNS announcement");
        output.WriteLine($"announced {ad.Instance} {clock.ElapsedMilliseconds} ms after start");

        var resolveClock = Stopwatch.StartNew();
        var json = await Zeroconf.RunAsync(Zeroconf.Resolve, Timeout, ad.Instance.ToString(), "10");
        output.WriteLine($"python3-zeroconf: {json.Trim()} in {resolveClock.ElapsedMilliseconds} ms (including Python start-up)");
        using var result = JsonDocument.Parse(json);
        var root = result.RootElement;
        Assert.True(root.GetProperty("browsed").GetBoolean(), "zeroconf's browser did not see the instance");
        Assert.Equal(new Uri(bridge.Url).Port, root.GetProperty("port").GetInt32());
        var txt = root.GetProperty("txt");
        Assert.Equal(bridge.App.BridgeId, txt.GetProperty("id").GetString());
        Assert.Equal("/api/v1/ws", txt.GetProperty("path").GetString());
        Assert.Equal("1", txt.GetProperty("v").GetString());
        Assert.Contains("127.0.0.1", root.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
    }

    [NetnsFact]
    public async Task A_legacy_unicast_query_gets_a_unicast_reply_with_its_id()
    {
        await using var bridge = await TestBridge.StartAsync();
        var ad = await Wait.ForAsync(bridge.App.Services.GetRequiredService<MdnsResponder>().Announced, Timeout, "the mDNS announcement");

        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var query = new DnsMessage { Id = 0x4242, Questions = [new DnsQuestion(ad.Instance, DnsType.Srv)] };
        await client.SendAsync(DnsWriter.Write(query), new IPEndPoint(MdnsSocket.Group, 5353));
        var reply = await ReceiveAsync(client, m => m.Id == 0x4242);
        Assert.Equal(query.Questions, reply.Questions);
        var srv = Assert.Single(reply.Answers);
        Assert.Equal((ushort)new Uri(bridge.Url).Port, ((SrvData)srv.Data).Port);
        Assert.True(srv.Ttl <= 10);
        Assert.False(srv.CacheFlush);
        Assert.Contains(reply.Additionals, r => r.Type == DnsType.A && r.Name == ad.Host);
    }

    [NetnsFact]
    public async Task Shutdown_says_goodbye_with_TTL_0()
    {
        using var listener = JoinedListener();
        var bridge = await TestBridge.StartAsync();
        BridgeAdvertisement ad;
        try
        {
            ad = await Wait.ForAsync(bridge.App.Services.GetRequiredService<MdnsResponder>().Announced, Timeout, "the mDNS announcement");
        }
        finally
        {
            await bridge.DisposeAsync();
        }
        var goodbye = await ReceiveAsync(listener, m => m.IsResponse && m.Answers.Any(r => r.Data is PtrData p && p.Target == ad.Instance && r.Ttl == 0));
        Assert.All(goodbye.Answers, r => Assert.Equal(0u, r.Ttl));
    }

    [NetnsFact]
    public async Task Probes_then_announces_twice_a_second_apart()
    {
        using var listener = JoinedListener();
        await using var bridge = await TestBridge.StartAsync();
        var id = bridge.App.BridgeId;
        var seen = new List<(long At, DnsMessage Message)>();
        var clock = Stopwatch.StartNew();
        while (seen.Count(s => s.Message.IsResponse) < 2)
        {
            var m = await ReceiveAsync(listener, m => m.Questions.Concat<object>(m.Answers).Any() &&
                (m.Questions.Any(q => q.Name.Labels[0].Contains(id)) || m.Answers.Any(r => r.Name.Labels[0].Contains(id))));
            seen.Add((clock.ElapsedMilliseconds, m));
        }
        var probes = seen.Where(s => !s.Message.IsResponse).ToArray();
        Assert.Equal(3, probes.Length);
        Assert.All(probes, p => Assert.True(p.Message.Questions.All(q => q.UnicastResponse && q.Type == DnsType.Any) && p.Message.Authorities.Count > 0));
        var announcements = seen.Where(s => s.Message.IsResponse).ToArray();
        var gap = announcements[1].At - announcements[0].At;
        output.WriteLine($"probes at {string.Join(", ", probes.Select(p => p.At))} ms; announcements {gap} ms apart");
        Assert.InRange(gap, 900, 2000);
        Assert.Contains(announcements[0].Message.Answers, r => r.Type == DnsType.Srv && r.CacheFlush);
    }

    /// <summary>A second listener on 5353 (ReuseAddress, like Avahi beside us), joined on loopback.</summary>
    private static UdpClient JoinedListener()
    {
        var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        client.Client.Bind(new IPEndPoint(IPAddress.Any, 5353));
        client.JoinMulticastGroup(MdnsSocket.Group, IPAddress.Loopback);
        return client;
    }

    private static async Task<DnsMessage> ReceiveAsync(UdpClient client, Func<DnsMessage, bool> match)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            UdpReceiveResult received;
            try
            {
                received = await client.ReceiveAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no matching mDNS message");
            }
            if (DnsReader.TryRead(received.Buffer, out var m, out _) && match(m!)) return m!;
        }
    }
}
