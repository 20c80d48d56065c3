using System.Net;
using System.Net.Sockets;

namespace Bridge.Tests.Infrastructure;

public sealed class WaitTests
{
    [Fact]
    public async Task UntilReturnsOnceTheConditionHolds()
    {
        int checks = 0;
        await Wait.UntilAsync(() => ++checks >= 3, TimeSpan.FromSeconds(5), "three checks");
        Assert.Equal(3, checks);
    }

    [Fact]
    public async Task UntilThrowsNamingWhatItWaitedFor()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(
            () => Wait.UntilAsync(() => false, TimeSpan.FromMilliseconds(50), "the impossible"));
        Assert.Contains("the impossible", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForReturnsTheResultOrThrowsNamingWhatItWaitedFor()
    {
        Assert.Equal(42, await Wait.ForAsync(Task.FromResult(42), TimeSpan.FromSeconds(1), "a result"));

        var never = new TaskCompletionSource<int>();
        var e = await Assert.ThrowsAsync<TimeoutException>(
            () => Wait.ForAsync(never.Task, TimeSpan.FromMilliseconds(50), "a reply that never comes"));
        Assert.Contains("a reply that never comes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreePortIsLoopbackAndFree()
    {
        int port = FreePort.GetTcp();
        Assert.InRange(port, 1, 65535);
        Assert.False(await FreePort.IsAcceptingAsync(port, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Free_UDP_ports_are_outside_what_the_kernel_hands_out_for_port_0_and_never_handed_out_twice()
    {
        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.GetUdp()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        // Sockets bound to port 0 meanwhile (dozens per simulated home) get none of them.
        var ephemeral = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                ephemeral.Add(s);
                s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                Assert.DoesNotContain(((IPEndPoint)s.LocalEndPoint!).Port, ports);
            }
        }
        finally
        {
            foreach (var s in ephemeral) s.Dispose();
        }
        // And each is free on every address, as a bridge binds its discovery ports.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        bound.Bind(new IPEndPoint(IPAddress.Any, ports[0]));
    }

    [Fact]
    public async Task Free_TCP_ports_are_never_a_source_port_of_a_connection_and_never_handed_out_twice()
    {
        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.GetTcp()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        // Outgoing connections meanwhile (hundreds in a test run) take their source ports from the
        // kernel's ephemeral range: none of these.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(256);
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(s);
                await s.ConnectAsync(listener.LocalEndpoint);
                Assert.DoesNotContain(((IPEndPoint)s.LocalEndPoint!).Port, ports);
            }
        }
        finally
        {
            foreach (var s in clients) s.Dispose();
        }
        using var bound = new TcpListener(IPAddress.Loopback, ports[0]);
        bound.Start();
    }
}
