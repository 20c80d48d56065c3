using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Bridge.Protocols.Shelly;
using Bridge.Service.Drivers.Shelly;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;

namespace Bridge.Tests.Service.Drivers.Shelly;

/// <summary>Every Shelly answers on the bridge's one reply topic, so a reply is matched by its id
/// and by its <c>src</c>: another device's reply (or one that guessed the id) answers nothing.</summary>
public sealed class ShellyRpcClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shelly-rpc-").FullName;
    private readonly BridgeIdentity _identity;
    private readonly RecordingLink _mqtt = new();
    private readonly ShellyRpcClient _rpc;

    public ShellyRpcClientTests()
    {
        _identity = BridgeIdentity.LoadOrCreate(_dir);
        _rpc = new ShellyRpcClient(_mqtt, _identity, TimeProvider.System);
    }

    [Fact]
    public async Task A_reply_from_another_device_does_not_answer_a_request_to_this_one_and_its_own_reply_does()
    {
        var call = _rpc.CallAsync<object?>("shellyplug-a", "Switch.Set", null, null, TimeSpan.FromSeconds(30), default, from: "shellyplug-a");
        var id = await RequestIdAsync("shellyplug-a/rpc");

        Assert.False(_rpc.Deliver(Reply(id, "shellyplug-b", "{\"was_on\":true}")));
        Assert.False(call.IsCompleted);

        Assert.True(_rpc.Deliver(Reply(id, "shellyplug-a", "{\"was_on\":false}")));
        using var reply = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("shellyplug-a", reply.Src);
        Assert.False(reply.Result.GetProperty("was_on").GetBoolean());
    }

    [Fact]
    public async Task Before_the_device_is_known_by_id_its_reply_is_taken_from_whatever_src()
    {
        var call = _rpc.CallAsync<object?>("custom-prefix", ShellyRpc.ShellyGetDeviceInfo, null, null, TimeSpan.FromSeconds(30), default);
        var id = await RequestIdAsync("custom-prefix/rpc");
        Assert.True(_rpc.Deliver(Reply(id, "shellyplus1-abc", "{\"id\":\"shellyplus1-abc\"}")));
        using var reply = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("shellyplus1-abc", reply.Src);
    }

    private async Task<long> RequestIdAsync(string topic)
    {
        var (published, payload) = await _mqtt.Published.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(topic, published);
        using var doc = JsonDocument.Parse(payload);
        Assert.Equal(ShellyRpcClient.SourceOf(_identity), doc.RootElement.GetProperty("src").GetString());
        return doc.RootElement.GetProperty("id").GetInt64();
    }

    private static ShellyFrame Reply(long id, string src, string result)
    {
        var json = $"{{\"id\":{id},\"src\":\"{src}\",\"dst\":\"bridge\",\"result\":{result}}}";
        Assert.True(ShellyFrame.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), out var frame, out var error), error);
        return frame!;
    }

    public void Dispose()
    {
        _identity.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Records what the client publishes; nothing is subscribed.</summary>
    private sealed class RecordingLink : IMqttLink
    {
        public Channel<(string Topic, byte[] Payload)> Published { get; } = Channel.CreateUnbounded<(string, byte[])>();
        public bool IsConnected => true;
        public event Action<bool>? ConnectionChanged { add { } remove { } }

        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
        {
            Published.Writer.TryWrite((topic, payload.ToArray()));
            return Task.CompletedTask;
        }

        public void Subscribe(string filter, Action<MqttMessage> handler) { }
    }
}
