using System.Text;
using Bridge.Simulator.LoadGen;

namespace Bridge.Tests.Simulator.LoadGen;

public sealed class ReplyParserTests
{
    [Fact]
    public void FindsIdAndOk()
    {
        byte[] json = """{"id":"3.17","ok":true,"state":{"power":"on","nested":[1,{"id":"x"}]}}"""u8.ToArray();
        Assert.True(ReplyParser.TryParse(json, out ReplyFields f));
        Assert.True(f.Ok);
        Assert.False(f.HasCode);
        Assert.Equal("3.17", Encoding.UTF8.GetString(json, f.IdStart, f.IdLength));
        Assert.True(ReplyParser.TryParseCommandId(json.AsSpan(f.IdStart, f.IdLength), out int slot, out long seq));
        Assert.Equal(3, slot);
        Assert.Equal(17, seq);
    }

    [Fact]
    public void FindsTheErrorCodeWhateverTheOrder()
    {
        byte[] json = """{"error":{"message":"no","code":"device_offline"},"ok":false,"id":"0.1"}"""u8.ToArray();
        Assert.True(ReplyParser.TryParse(json, out ReplyFields f));
        Assert.False(f.Ok);
        Assert.Equal("device_offline", ErrorTally.Intern(json.AsSpan(f.CodeStart, f.CodeLength)));
        Assert.Equal("0.1", Encoding.UTF8.GetString(json, f.IdStart, f.IdLength));
    }

    [Theory]
    [InlineData("""{"event":"state","device":"lamp-1","state":{"power":"on"}}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    [InlineData("""{"id":7,"ok":true}""")]
    [InlineData("""{"id":"1.1","ok":tru""")]
    public void FramesWithoutAStringIdAreSkipped(string json)
    {
        Assert.False(ReplyParser.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }

    [Theory]
    [InlineData("d")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1.0")]
    [InlineData("-1.2")]
    [InlineData("1.2x")]
    public void ForeignIdsAreNotCommandIds(string id)
    {
        Assert.False(ReplyParser.TryParseCommandId(Encoding.UTF8.GetBytes(id), out _, out _));
    }

    [Fact]
    public void CommandIdsRoundTrip()
    {
        Span<byte> buffer = stackalloc byte[32];
        int n = ReplyParser.FormatCommandId(12, 345678901234, buffer);
        Assert.Equal("12.345678901234", Encoding.UTF8.GetString(buffer[..n]));
        Assert.True(ReplyParser.TryParseCommandId(buffer[..n], out int slot, out long seq));
        Assert.Equal(12, slot);
        Assert.Equal(345678901234, seq);
    }

    [Fact]
    public void UnknownErrorCodesAreKeptAndKnownOnesInterned()
    {
        Assert.Same("timeout", ErrorTally.Intern("timeout"u8));
        Assert.Equal("weird_code", ErrorTally.Intern("weird_code"u8));
        Assert.Equal(ErrorTally.Unknown, ErrorTally.Intern(default));
    }
}
