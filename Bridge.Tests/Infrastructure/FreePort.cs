using System.Net;
using System.Net.Sockets;

namespace Bridge.Tests.Infrastructure;

/// <summary>Free loopback ports for servers started by tests.</summary>
public static class FreePort
{
    private const int UdpLowest = 20000;
    private static int _udpNext = Random.Shared.Next(0, 10000);

    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; the probe socket is closed
    /// before returning, so another process could still take it, which is rare).
    /// </summary>
    public static int GetTcp()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>
    /// A UDP port for a listener a test is about to start (a bridge's discovery ports), free on every
    /// address. Taken below the kernel's ephemeral range and handed out once per test process: a port
    /// the OS picked (as <see cref="GetTcp"/> does) is closed before the bridge binds it, and in that
    /// window any of the dozens of sockets the simulated devices bind to port 0 could be given it,
    /// taking the bridge's discovery replies (a plausible cause of a Tuya rig that once heard no 3.5
    /// plug for 30 s).
    /// </summary>
    public static int GetUdp()
    {
        var highest = EphemeralStart() - 1;
        var span = highest - UdpLowest + 1;
        for (var tries = 0; tries < span; tries++)
        {
            var port = UdpLowest + (int)((uint)Interlocked.Increment(ref _udpNext) % (uint)span);
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probe.Bind(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException($"no free UDP port between {UdpLowest} and {highest}");
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
