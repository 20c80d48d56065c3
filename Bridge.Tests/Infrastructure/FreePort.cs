using System.Net;
using System.Net.Sockets;

namespace Bridge.Tests.Infrastructure;

/// <summary>Free loopback ports for servers started by tests.</summary>
public static class FreePort
{
    private const int TcpLowest = 10000;
    private const int UdpLowest = 20000;
    private static int _tcpNext = Random.Shared.Next(0, 10000);
    private static int _udpNext = Random.Shared.Next(0, 10000);

    /// <summary>
    /// A TCP port for a server a test is about to start, free on every address. Taken from 10000–19999,
    /// below the kernel's ephemeral range, and handed out once per test process: a port the OS picks
    /// for port 0 is closed before the server binds it, and in that window any of the hundreds of
    /// loopback connections a test run opens could take it as its source port (an embedded broker's
    /// bind once failed with "Address already in use" in CI).
    /// </summary>
    public static int GetTcp() => Take(SocketType.Stream, ProtocolType.Tcp, TcpLowest, UdpLowest - 1, ref _tcpNext);

    /// <summary>
    /// A UDP port for a listener a test is about to start (a bridge's discovery ports), free on every
    /// address. Taken below the kernel's ephemeral range and handed out once per test process: a port
    /// the OS picked for port 0 is closed before the bridge binds it, and in that
    /// window any of the dozens of sockets the simulated devices bind to port 0 could be given it,
    /// taking the bridge's discovery replies (a plausible cause of a Tuya rig that once heard no 3.5
    /// plug for 30 s).
    /// </summary>
    public static int GetUdp() => Take(SocketType.Dgram, ProtocolType.Udp, UdpLowest, EphemeralStart() - 1, ref _udpNext);

    private static int Take(SocketType type, ProtocolType protocol, int lowest, int highest, ref int next)
    {
        var span = highest - lowest + 1;
        for (var tries = 0; tries < span; tries++)
        {
            var port = lowest + (int)((uint)Interlocked.Increment(ref next) % (uint)span);
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
                probe.Bind(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException($"no free {protocol} port between {lowest} and {highest}");
    }

    /// <summary>The first port the kernel hands out for port 0 (Linux: ip_local_port_range, 32768 by default).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (int.TryParse(range[0], out var start) && start > UdpLowest + 1000) return start;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
        }
        return 32768;
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsAcceptingAsync(int port, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
