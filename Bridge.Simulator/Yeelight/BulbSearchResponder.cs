using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Yeelight;

namespace Bridge.Simulator.Yeelight;

/// <summary>A bulb's UDP side: answers <c>M-SEARCH</c> by unicast and sends <c>NOTIFY</c> adverts.
/// Multicast: bound to 0.0.0.0:1982 (shared, ReuseAddress) and joined to 239.255.255.250 on
/// loopback — for the test network namespace, where loopback carries multicast. Unicast: its own
/// port on the bulb's address, for hosts whose loopback has no multicast (the demo); the bridge is
/// then told where to search.</summary>
internal sealed class BulbSearchResponder : IDisposable
{
    private readonly Socket _socket;
    private readonly Func<YeelightAdvert?> _advert;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly int _multicastPort;

    private BulbSearchResponder(Socket socket, bool multicast, int multicastPort, Func<YeelightAdvert?> advert)
    {
        _socket = socket;
        Multicast = multicast;
        _advert = advert;
        _multicastPort = multicastPort;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public bool Multicast { get; }
    public int Port { get; }

    /// <param name="advert">The bulb's current advert; null while it is away (then it stays silent).</param>
    public static BulbSearchResponder Open(bool multicast, int multicastPort, IPAddress unicastAddress, Func<YeelightAdvert?> advert)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (multicast)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
                socket.Bind(new IPEndPoint(IPAddress.Any, multicastPort));
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(YeelightConstants.SearchGroup, IPAddress.Loopback));
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
            }
            else
            {
                socket.Bind(new IPEndPoint(unicastAddress, 0));
            }
            return new BulbSearchResponder(socket, multicast, multicastPort, advert);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A NOTIFY to the group (multicast only: in unicast mode nobody listens for it).</summary>
    public async Task AnnounceAsync()
    {
        if (!Multicast || _advert() is not { } advert) return;
        try
        {
            await _socket.SendToAsync(YeelightSearch.WriteAdvert(advert, notify: true), SocketFlags.None,
                new IPEndPoint(YeelightConstants.SearchGroup, _multicastPort)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[YeelightConstants.MaxDatagramBytes];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (!YeelightSearch.IsRequest(buffer.AsSpan(0, received.ReceivedBytes)) || _advert() is not { } advert) continue;
            try
            {
                await _socket.SendToAsync(YeelightSearch.WriteAdvert(advert, notify: false), SocketFlags.None, received.RemoteEndPoint).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
