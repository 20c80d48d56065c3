using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Bridge.Service.Mqtt;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Mqtt;

/// <summary>An external broker address where something accepts TCP and then says nothing (a wrong
/// port, a hung broker): the bridge gives up on each attempt at its connect timeout and tries
/// again, instead of waiting for an answer for ever.</summary>
public sealed class SilentBrokerTests
{
    // CONNACK, MQTT 3.1.1: no session present, connection accepted.
    private static readonly byte[] ConnAck = [0x20, 0x02, 0x00, 0x00];

    [Fact]
    public Task A_peer_that_never_answers_CONNECT_is_given_up_on_and_tried_again() => TriedAgainAsync(answerConnect: false);

    [Fact]
    public Task A_broker_that_accepts_the_connection_but_never_answers_SUBSCRIBE_is_given_up_on_and_tried_again() => TriedAgainAsync(answerConnect: true);

    private static async Task TriedAgainAsync(bool answerConnect)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var attempts = Channel.CreateUnbounded<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = AcceptAsync(listener, attempts.Writer, answerConnect, stop.Token);
        var held = new List<Socket>();
        await using var bridge = await TestBridge.StartAsync(demo: false, extra: [$"--Mqtt:Url=mqtt://127.0.0.1:{port}"]);
        try
        {
            // Within 5 s of connect timeout and a first retry 250 ms (with jitter) after it, with room
            // for a slow machine; well before the 15 s keep-alive would end a silent connection.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(12));
            held.Add(await attempts.Reader.ReadAsync(wait.Token));
            held.Add(await attempts.Reader.ReadAsync(wait.Token));
            Assert.False(bridge.App.Services.GetRequiredService<IMqttLink>().IsConnected);
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            listener.Stop();
            foreach (var socket in held) socket.Dispose();
        }
    }

    private static async Task AcceptAsync(TcpListener listener, ChannelWriter<Socket> attempts, bool answerConnect, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(ct);
                if (answerConnect)
                {
                    // Read the CONNECT (whatever its length), answer it, then stay silent.
                    var buffer = new byte[1024];
                    _ = await socket.ReceiveAsync(buffer, ct);
                    await socket.SendAsync(ConnAck, ct);
                }
                attempts.TryWrite(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
