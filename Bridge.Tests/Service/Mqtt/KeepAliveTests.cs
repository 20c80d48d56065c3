using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Bridge.Service.Mqtt;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Mqtt;

/// <summary>The external-broker link keeps its connection alive itself (it is built on MQTTnet's
/// low-level client): a PINGREQ every keep-alive period, so a broker does not drop a quiet link, and
/// a broker that stops answering is dropped and connected to again. Against a scripted broker that
/// answers CONNECT and SUBSCRIBE, and PINGREQ or not.</summary>
public sealed class KeepAliveTests
{
    private const byte Connect = 0x10, Subscribe = 0x82, PingReq = 0xC0;

    [Fact]
    public async Task A_quiet_link_pings_every_keep_alive_period_on_one_connection()
    {
        await using var broker = ScriptedBroker.Start(answerPings: true);
        await using var bridge = await TestBridge.StartAsync(demo: false,
            extra: [$"--Mqtt:Url=mqtt://127.0.0.1:{broker.Port}", "--Mqtt:KeepAlive=00:00:01"]);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var connection = await broker.Connections.ReadAsync(wait.Token);
        for (var i = 0; i < 3; i++) Assert.Equal(PingReq, await connection.Pings.ReadAsync(wait.Token));
        Assert.True(bridge.App.Services.GetRequiredService<IMqttLink>().IsConnected);
        Assert.False(broker.Connections.TryRead(out _), "the bridge connected again while the first connection was answering");
    }

    [Fact]
    public async Task A_broker_that_stops_answering_is_dropped_and_connected_to_again()
    {
        await using var broker = ScriptedBroker.Start(answerPings: false);
        await using var bridge = await TestBridge.StartAsync(demo: false,
            extra: [$"--Mqtt:Url=mqtt://127.0.0.1:{broker.Port}", "--Mqtt:KeepAlive=00:00:01"]);
        // The first PINGREQ goes unanswered: dropped at the next period's check, about 2 s after the
        // SUBACK; room for a slow machine.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var first = await broker.Connections.ReadAsync(wait.Token);
        Assert.Equal(PingReq, await first.Pings.ReadAsync(wait.Token));
        await first.Closed.WaitAsync(wait.Token);
        var second = await broker.Connections.ReadAsync(wait.Token);
        Assert.Equal(PingReq, await second.Pings.ReadAsync(wait.Token));
    }

    /// <summary>One accepted connection: the PINGREQs the bridge sent after its SUBSCRIBE, and when it closed.</summary>
    private sealed record Connection(ChannelReader<byte> Pings, Task Closed);

    /// <summary>An MQTT 3.1.1 broker reduced to a script: CONNACK to CONNECT, SUBACK to SUBSCRIBE,
    /// PINGRESP to PINGREQ when asked to; the PINGREQs after the SUBSCRIBE are reported.</summary>
    private sealed class ScriptedBroker : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<Connection> _connections = Channel.CreateUnbounded<Connection>();
        private readonly List<Socket> _sockets = [];
        private readonly bool _answerPings;
        private Task _accepting = Task.CompletedTask;

        private ScriptedBroker(bool answerPings) => _answerPings = answerPings;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public ChannelReader<Connection> Connections => _connections.Reader;

        public static ScriptedBroker Start(bool answerPings)
        {
            var broker = new ScriptedBroker(answerPings);
            broker._listener.Start();
            broker._accepting = broker.AcceptAsync();
            return broker;
        }

        private async Task AcceptAsync()
        {
            var serving = new List<Task>();
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_sockets) _sockets.Add(socket);
                    serving.Add(ServeAsync(socket));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            await Task.WhenAll(serving);
        }

        private async Task ServeAsync(Socket socket)
        {
            var pings = Channel.CreateUnbounded<byte>();
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var subscribed = false;
            try
            {
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                while (await ReadPacketAsync(stream) is var (type, body))
                {
                    if (type == Connect) await stream.WriteAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }, _stop.Token);
                    else if (type == Subscribe)
                    {
                        await stream.WriteAsync(SubAck(body), _stop.Token);
                        if (!subscribed) _connections.Writer.TryWrite(new Connection(pings.Reader, closed.Task));
                        subscribed = true;
                    }
                    else if (type == PingReq)
                    {
                        if (_answerPings) await stream.WriteAsync(new byte[] { 0xD0, 0x00 }, _stop.Token);
                        if (subscribed) pings.Writer.TryWrite(type);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                closed.TrySetResult();
            }
        }

        /// <summary>The packet's first byte and its body; null when the peer closed the connection.</summary>
        private async Task<(byte Type, byte[] Body)?> ReadPacketAsync(Stream stream)
        {
            var one = new byte[1];
            if (await stream.ReadAsync(one, _stop.Token) == 0) return null;
            var type = one[0];
            int length = 0, shift = 0;
            do
            {
                await stream.ReadExactlyAsync(one, _stop.Token);
                length |= (one[0] & 0x7F) << shift;
                shift += 7;
            } while ((one[0] & 0x80) != 0 && shift < 28);
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, _stop.Token);
            return (type, body);
        }

        /// <summary>SUBACK granting QoS 0 to each topic filter of a SUBSCRIBE body.</summary>
        private static byte[] SubAck(byte[] subscribe)
        {
            var filters = 0;
            for (var at = 2; at + 2 <= subscribe.Length; filters++) at += 2 + (subscribe[at] << 8 | subscribe[at + 1]) + 1;
            var ack = new byte[4 + filters];
            ack[0] = 0x90;
            ack[1] = (byte)(2 + filters);
            ack[2] = subscribe[0];
            ack[3] = subscribe[1];
            return ack;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
            await _accepting;
            _stop.Dispose();
        }
    }
}
