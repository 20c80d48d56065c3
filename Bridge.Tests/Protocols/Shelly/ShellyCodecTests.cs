using System.Buffers;
using System.Text;
using Bridge.Protocols.Shelly;

namespace Bridge.Tests.Protocols.Shelly;

public sealed class ShellyCodecTests
{
    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Parses_a_notification_from_the_shelly_docs()
    {
        var payload = """{"src":"shellypro4pm-f008d1d8b8b8","dst":"user_1","method":"NotifyStatus","params":{"ts":1631186545.04,"switch:0":{"id":0,"output":true,"source":"button"}}}""";
        Assert.True(ShellyFrame.TryParse(Bytes(payload), out var f, out _));
        using (f)
        {
            Assert.True(f!.IsNotification);
            Assert.Equal("NotifyStatus", f.Method);
            Assert.True(f.Params.GetProperty("switch:0").GetProperty("output").GetBoolean());
        }
    }

    [Fact]
    public void Parses_responses_and_errors()
    {
        Assert.True(ShellyFrame.TryParse(Bytes("""{"id":7,"src":"dev","dst":"me","result":{"was_on":false}}"""), out var ok, out _));
        using (ok)
        {
            Assert.True(ok!.IsResponse);
            Assert.Equal(7, ok.Id);
            Assert.False(ok.Result.GetProperty("was_on").GetBoolean());
        }
        Assert.True(ShellyFrame.TryParse(Bytes("""{"id":"8","src":"dev","error":{"code":-103,"message":"Invalid argument"}}"""), out var err, out _));
        using (err)
        {
            Assert.Equal(8, err!.Id);
            Assert.Equal(-103, err.ErrorCode);
        }
    }

    [Fact]
    public void Writes_a_request_a_device_can_answer()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ShellyRpc.WriteRequest(buffer, 5, "bridge", "Switch.Set", true, (w, on) => { w.WriteNumber("id", 0); w.WriteBoolean("on", on); });
        Assert.Equal("""{"id":5,"src":"bridge","method":"Switch.Set","params":{"id":0,"on":true}}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal("bridge/rpc", ShellyTopics.Replies("bridge"));
        Assert.True(ShellyTopics.TryParseOnline("shellyplus1-a8032ab12345/online", out var prefix));
        Assert.Equal("shellyplus1-a8032ab12345", prefix);
        Assert.False(ShellyTopics.TryParseOnline("/online", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("[1]")]
    [InlineData("{\"id\":")]
    public void Refuses_garbage(string payload) => Assert.False(ShellyFrame.TryParse(Bytes(payload), out _, out _));
}
