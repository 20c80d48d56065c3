using System.Text;
using Bridge.Protocols.Tasmota;

namespace Bridge.Tests.Protocols.Tasmota;

public sealed class TasmotaCodecTests
{
    // The discovery example of PROTOCOLS.md §2.4, as a real Tasmota 15 sends it.
    private const string AtomLite = """
        {"ip":"192.168.2.208","dn":"AtomLite2","fn":["Tasmota",null,null],"hn":"atomlite2","mac":"142B2F9FAF38","md":"M5Stack Atom Lite","ty":0,"if":0,"ofln":"Offline","onln":"Online","state":["OFF","ON","TOGGLE","HOLD"],"sw":"15.0.1.4","t":"atomlite2","ft":"%prefix%/%topic%/","tp":["cmnd","stat","tele"],"rl":[2,0,0,0],"swc":[-1,-1],"swn":[null,null],"btn":[0,0],"so":{"4":0,"11":0,"13":0,"17":0,"20":0,"30":0,"68":0,"73":0,"82":0,"114":0,"117":0},"lk":1,"lt_st":3,"bat":0,"dslp":0,"sho":[],"sht":[],"ver":1}
        """;

    [Fact]
    public void Parses_a_real_discovery_config()
    {
        Assert.True(TasmotaDiscoveryConfig.TryParse(Encoding.UTF8.GetBytes(AtomLite), out var c, out _));
        Assert.Equal("atomlite2", c!.Topic);
        Assert.Equal("142B2F9FAF38", c.Mac);
        Assert.Equal("M5Stack Atom Lite", c.Module);
        Assert.Equal("Tasmota", c.FriendlyName);
        Assert.Equal([2, 0, 0, 0], c.Relays);
        Assert.Equal(3, c.LightSubtype);
        Assert.Equal("cmnd", c.CommandPrefix);
        Assert.Equal("192.168.2.208", c.Ip);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"mac\":\"AABBCC\"}")]
    [InlineData("{\"mac\":\"AABBCC\",\"t\":\"a/b\"}")]
    [InlineData("{\"mac\":\"AABBCC\",\"t\":\"#\"}")]
    public void Refuses_what_is_not_a_usable_config(string payload) =>
        Assert.False(TasmotaDiscoveryConfig.TryParse(Encoding.UTF8.GetBytes(payload), out _, out var error) && error == "");

    [Theory]
    [InlineData("stat/lamp-1/RESULT", "stat", "lamp-1", "RESULT")]
    [InlineData("tele/tasmota_ABCDEF/LWT", "tele", "tasmota_ABCDEF", "LWT")]
    public void Splits_default_topics(string topic, string prefix, string t, string last)
    {
        Assert.True(TasmotaTopics.TryParseDefault(topic, out var p, out var tt, out var l));
        Assert.Equal((prefix, t, last), (p, tt, l));
    }

    [Theory]
    [InlineData("stat")]
    [InlineData("stat/")]
    [InlineData("stat//RESULT")]
    [InlineData("stat/a/b/RESULT")]
    [InlineData("stat/a/")]
    public void Refuses_other_topics(string topic) => Assert.False(TasmotaTopics.TryParseDefault(topic, out _, out _, out _));

    [Fact]
    public void Builds_command_topics_from_full_topic()
    {
        Assert.Equal("cmnd/lamp/POWER", TasmotaTopics.Build("%prefix%/%topic%/", "cmnd", "lamp", "POWER"));
        Assert.Equal("home/lamp/cmnd/Dimmer", TasmotaTopics.Build("home/%topic%/%prefix%", "cmnd", "lamp", "Dimmer"));
        Assert.True(TasmotaTopics.TryParseDiscovery("tasmota/discovery/142B2F9FAF38/config", out var mac));
        Assert.Equal("142B2F9FAF38", mac);
    }

    [Theory]
    [InlineData(2700, 370)]
    [InlineData(6500, 154)]
    [InlineData(2000, 500)]
    [InlineData(10000, 153)]
    [InlineData(1000, 500)]
    public void Converts_kelvin_to_mireds_within_tasmota_range(int kelvin, int mired) =>
        Assert.Equal(mired, TasmotaColorTemp.KelvinToMired(kelvin));
}
