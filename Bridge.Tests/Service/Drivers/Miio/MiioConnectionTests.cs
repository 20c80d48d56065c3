using Bridge.Tests.Infrastructure;
using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Miio;
using Bridge.Simulator.Miio;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>The bridge's miIO connection on real loopback UDP: against a hand-made device that sends
/// hostile replies first (another device id, an old stamp, garbage, an earlier request's answer), and
/// against the simulator (batching, silence, a device in another token).</summary>
public sealed class MiioConnectionTests
{
    private static readonly byte[] Token = Convert.FromHexString(MiioRig.Token);
    private static readonly MiioOptions Quick = new() { ReplyTimeout = TimeSpan.FromMilliseconds(300), Retries = 3 };

    /// <summary>A device written in the test: answers the hello, and each request with <c>before</c>'s
    /// datagrams first, then the real answer.</summary>
    private sealed class HostileDevice : IAsyncDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        public const uint Did = 424242;
        public const uint Stamp = 1_000_000;

        public HostileDevice(Func<long, IEnumerable<byte[]>> before)
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _loop = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                while (!_stop.IsCancellationRequested)
                {
                    SocketReceiveFromResult r;
                    try { r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token); }
                    catch (OperationCanceledException) { return; }
                    var status = MiioPacketCodec.TryRead(buffer.AsSpan(0, r.ReceivedBytes), Token, out var p, out _);
                    if (status == MiioDecodeStatus.Hello)
                    {
                        await _socket.SendToAsync(MiioPacketCodec.HelloAnswer(Did, Stamp), r.RemoteEndPoint);
                        continue;
                    }
                    MiioJson.TryReadRequest(p.Body, out var id, out _, out _, out _);
                    foreach (var d in before(id)) await _socket.SendToAsync(d, r.RemoteEndPoint);
                    await _socket.SendToAsync(Packet(Did, Stamp, MiioJson.Result(id, w => w.WriteStringValue("the real one"))), r.RemoteEndPoint);
                }
            });
        }

        public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _socket.Dispose();
            await _loop;
        }
    }

    private static byte[] Packet(uint did, uint stamp, byte[] body, byte[]? token = null)
    {
        var w = new ArrayBufferWriter<byte>();
        MiioPacketCodec.Write(w, token ?? Token, did, stamp, body);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task Replies_for_another_device_an_old_stamp_garbage_or_an_earlier_request_are_dropped_and_the_real_one_taken()
    {
        await using var device = new HostileDevice(id =>
        [
            Packet(HostileDevice.Did + 1, HostileDevice.Stamp, MiioJson.Result(id, w => w.WriteStringValue("another device"))),
            Packet(HostileDevice.Did, HostileDevice.Stamp - 100_000, MiioJson.Result(id, w => w.WriteStringValue("a replay"))),
            Packet(HostileDevice.Did, HostileDevice.Stamp, MiioJson.Result(id - 1, w => w.WriteStringValue("an earlier request"))),
            [0x21, 0x31, 0x00, 0x05, 0xff],
            "not miio at all"u8.ToArray(),
        ]);
        var problems = new ConcurrentQueue<string>();
        using var connection = new MiioConnection("miio-424242", HostileDevice.Did, device.EndPoint, Token, Quick, TimeProvider.System, problems.Enqueue);

        var reply = await connection.CallAsync("miIO.info", w => { w.WriteStartArray(); w.WriteEndArray(); }, CancellationToken.None);

        Assert.Equal("the real one", reply.Result!.Value.GetString());
        Assert.Contains(problems, p => p.Contains("another device id (424243)"));
        Assert.Contains(problems, p => p.Contains("in the past"));
        Assert.Contains(problems, p => p.Contains("not miIO"));
        Assert.Equal(1, connection.Requests);
    }

    [Fact]
    public async Task More_than_15_properties_go_in_batches_of_at_most_15()
    {
        var props = Enumerable.Range(1, 20).Select(i => SimulatedMiotProperty.Of(2, i, i)).ToArray();
        await using var device = new SimulatedMiioDevice(MiioRig.NewDid(), "test.model.v1", MiioRig.Token, "Many", props);
        await device.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
        var gets = 0;
        device.Handled += m => { if (m == "get_properties") Interlocked.Increment(ref gets); };
        var profile = new DeviceProfile
        {
            Id = "many", Kind = "sensor", Driver = "miio",
            Capabilities = Enumerable.Range(1, 20).Select(i => new Capability { Name = $"p{i}", Type = CapabilityType.Int }).ToArray(),
            Mapping = JsonSerializer.SerializeToElement(Enumerable.Range(1, 20).ToDictionary(i => $"p{i}", i => new { siid = 2, piid = i })),
        };
        var problems = new List<string>();
        var mapping = MiioMapping.Parse(profile, problems);
        Assert.Empty(problems);
        using var connection = new MiioConnection(device.DeviceId, device.Did, new IPEndPoint(device.Address, device.Port), Token, Quick, TimeProvider.System, _ => { });

        var values = await MiioDevices.ReadStateAsync(connection, mapping, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (double)i), values.Select(v => v.Value.Number));
        Assert.Equal(2, gets); // 15 + 5: the device refuses more than 15 in one request
    }

    [Fact]
    public async Task A_silent_device_is_no_answer_and_one_that_answers_in_another_token_is_a_rejected_token()
    {
        await using var device = MiioModels.Lamp(MiioRig.NewDid(), MiioRig.Token);
        await device.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
        var at = new IPEndPoint(device.Address, device.Port);
        using var connection = new MiioConnection(device.DeviceId, device.Did, at, Token, Quick, TimeProvider.System, _ => { });

        device.Silent = true;
        var silent = await Assert.ThrowsAsync<MiioCallException>(() => connection.CallAsync("miIO.info", w => { w.WriteStartArray(); w.WriteEndArray(); }, CancellationToken.None));
        Assert.Equal(MiioFailure.NoAnswer, silent.Why);

        device.Silent = false;
        device.AnswersWrongToken = true;
        device.RePair(MiioRig.NewToken);
        var rejected = await Assert.ThrowsAsync<MiioCallException>(() => connection.CallAsync("miIO.info", w => { w.WriteStartArray(); w.WriteEndArray(); }, CancellationToken.None));
        Assert.Equal(MiioFailure.TokenRejected, rejected.Why);
        Assert.DoesNotContain(MiioRig.Token, rejected.Message);
        Assert.Equal(1, connection.Requests); // the first answer in another token settles it
    }

    [Fact]
    public async Task After_a_reboot_the_stamp_restarts_and_a_retry_with_a_new_hello_gets_through()
    {
        await using var device = MiioModels.Lamp(MiioRig.NewDid(), MiioRig.Token);
        await device.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
        using var connection = new MiioConnection(device.DeviceId, device.Did, new IPEndPoint(device.Address, device.Port), Token, Quick, TimeProvider.System, _ => { });
        await connection.CallAsync("miIO.info", w => { w.WriteStartArray(); w.WriteEndArray(); }, CancellationToken.None);

        await device.RebootAsync(TimeSpan.Zero);
        var ignoredBefore = device.Ignored;
        var reply = await connection.CallAsync("miIO.info", w => { w.WriteStartArray(); w.WriteEndArray(); }, CancellationToken.None);

        Assert.Equal(MiioModels.LampModel, reply.Result!.Value.GetProperty("model").GetString());
        Assert.Equal(ignoredBefore + 1, device.Ignored); // the first try, stamped on the old clock, was dropped
        Assert.Equal(3, connection.Requests);
    }
}
