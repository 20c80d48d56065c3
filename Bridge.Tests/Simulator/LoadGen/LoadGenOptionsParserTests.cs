using Bridge.Simulator.LoadGen;

namespace Bridge.Tests.Simulator.LoadGen;

public sealed class LoadGenOptionsParserTests
{
    private static LoadGenParseResult Parse(params string[] args) => LoadGenOptionsParser.Parse(args, _ => null);

    [Fact]
    public void ParsesTheFullCommandLine()
    {
        LoadGenParseResult result = Parse(
            "--url", "ws://127.0.0.1:9001/api/v1/ws", "--token", "T", "--connections", "4", "--inflight", "16",
            "--count", "5000", "--devices", "lamp-1, lamp-2,,plug-1,lamp-1");

        Assert.True(result.Success, result.Error);
        LoadGenOptions o = result.Options!;
        Assert.Equal(new Uri("ws://127.0.0.1:9001/api/v1/ws"), o.Url);
        Assert.Equal("T", o.Token);
        Assert.Equal(4, o.Connections);
        Assert.Equal(16, o.InFlight);
        Assert.Equal(5000, o.Count);
        Assert.Equal(["lamp-1", "lamp-2", "plug-1"], o.Devices);
        Assert.False(o.Scene);
        Assert.Equal(500, o.Warmup);
    }

    [Fact]
    public void DefaultsAndEqualsSyntax()
    {
        LoadGenParseResult result = Parse("loadgen", "--token=abc", "--count=20000", "--scene");

        Assert.True(result.Success, result.Error);
        LoadGenOptions o = result.Options!;
        Assert.Equal(new Uri(LoadGenOptions.DefaultUrl), o.Url);
        Assert.Equal("abc", o.Token);
        Assert.Equal(1, o.Connections);
        Assert.Equal(1, o.InFlight);
        Assert.Equal(20000, o.Count);
        Assert.Null(o.Devices);
        Assert.True(o.Scene);
        Assert.Equal(TimeSpan.FromSeconds(30), o.CommandTimeout);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(9, 0)]
    [InlineData(10, 1)]
    [InlineData(1000, 100)]
    [InlineData(10000, 1000)]
    [InlineData(1000000, 1000)]
    public void WarmupIsATenthCappedAtAThousand(int count, int warmup)
    {
        Assert.Equal(warmup, Parse("--token", "t", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Options!.Warmup);
    }

    [Fact]
    public void WarmupAndTimeoutCanBeGiven()
    {
        LoadGenOptions o = Parse("--token", "t", "--warmup", "0", "--timeout", "2.5").Options!;
        Assert.Equal(0, o.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.CommandTimeout);
    }

    [Fact]
    public void TokenMayComeFromTheEnvironment()
    {
        LoadGenParseResult result = LoadGenOptionsParser.Parse(["--count", "5"], name => name == "BRIDGE_TOKEN" ? "from-env" : null);
        Assert.Equal("from-env", result.Options!.Token);
    }

    [Theory]
    [InlineData("missing token", "--count", "5")]
    [InlineData("needs a value", "--token", "t", "--count")]
    [InlineData("positive integer", "--token", "t", "--count", "0")]
    [InlineData("positive integer", "--token", "t", "--inflight", "-3")]
    [InlineData("positive integer", "--token", "t", "--connections", "many")]
    [InlineData("ws://", "--token", "t", "--url", "http://127.0.0.1/api/v1/ws")]
    [InlineData("ws://", "--token", "t", "--url", "not a url")]
    [InlineData("unknown option", "--token", "t", "--bogus", "1")]
    [InlineData("more than once", "--token", "t", "--count", "1", "--count", "2")]
    [InlineData("unexpected argument", "--token", "t", "stray")]
    [InlineData("at least one device", "--token", "t", "--devices", " , ")]
    [InlineData("seconds", "--token", "t", "--timeout", "0")]
    public void RejectsBadArguments(string expected, params string[] args)
    {
        LoadGenParseResult result = Parse(args);
        Assert.False(result.Success);
        Assert.False(result.HelpRequested);
        Assert.NotNull(result.Error);
        if (expected != "missing token")
        {
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("--token is required", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HelpIsNotAnError()
    {
        LoadGenParseResult result = Parse("--help");
        Assert.True(result.HelpRequested);
        Assert.Null(result.Error);
    }
}
