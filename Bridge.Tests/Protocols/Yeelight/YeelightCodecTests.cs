using System.Buffers;
using System.Text;
using Bridge.Protocols.Yeelight;

namespace Bridge.Tests.Protocols.Yeelight;

/// <summary>The Yeelight codec against the bytes the specification gives (PROTOCOLS.md §6.2).</summary>
public sealed class YeelightCodecTests
{
    private const string SpecResponse =
        "HTTP/1.1 200 OK\r\nCache-Control: max-age=3600\r\nDate: \r\nExt: \r\nLocation: yeelight://192.168.1.239:55443\r\n" +
        "Server: POSIX UPnP/1.0 YGLC/1\r\nid: 0x000000000015243f\r\nmodel: color\r\nfw_ver: 18\r\n" +
        "support: get_prop set_default set_power toggle set_bright start_cf stop_cf set_scene cron_add cron_get cron_del set_ct_abx set_rgb\r\n" +
        "power: on\r\nbright: 100\r\ncolor_mode: 2\r\nct: 4000\r\nrgb: 16711680\r\nhue: 100\r\nsat: 35\r\nname: bXlfYnVsYg==\r\n";

    [Fact]
    public void The_search_request_is_the_spec_datagram() =>
        Assert.Equal("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1982\r\nMAN: \"ssdp:discover\"\r\nST: wifi_bulb\r\n",
            Encoding.ASCII.GetString(YeelightSearch.Request));

    [Fact]
    public void A_search_response_gives_address_id_and_state()
    {
        Assert.True(YeelightSearch.TryParseAdvert(Encoding.ASCII.GetBytes(SpecResponse), out var a, out var error), error);
        Assert.Equal("192.168.1.239", a!.Host);
        Assert.Equal(55443, a.Port);
        Assert.Equal("0x000000000015243f", a.Id);
        Assert.False(a.IsNotify);
        Assert.Equal("color", a.Model);
        Assert.True(a.Supports("set_ct_abx"));
        Assert.Equal(("on", "100", "4000", "2"), (a.Power, a.Bright, a.Ct, a.ColorMode));
        Assert.Equal("my_bulb", a.Name);
        Assert.Equal(TimeSpan.FromHours(1), a.MaxAge);
    }

    [Fact]
    public void A_notify_advert_is_read_the_same_way_and_short_ids_are_normalised()
    {
        var notify = "NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1982\r\nCache-Control: max-age=3600\r\nLocation: yeelight://10.0.0.7:55443\r\n" +
                     "NTS: ssdp:alive\r\nServer: POSIX, UPnP/1.0 YGLC/1\r\nid: 0x15243F\r\nmodel: mono\r\nsupport: get_prop set_power\r\npower: off\r\n";
        Assert.True(YeelightSearch.TryParseAdvert(Encoding.ASCII.GetBytes(notify), out var a, out _));
        Assert.True(a!.IsNotify);
        Assert.Equal("0x000000000015243f", a.Id);
        Assert.Equal("off", a.Power);
    }

    [Theory]
    [InlineData("M-SEARCH * HTTP/1.1\r\nST: wifi_bulb\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLocation: http://1.2.3.4:80\r\nid: 0x1\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLocation: yeelight://1.2.3.4:99999\r\nid: 0x1\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLocation: yeelight://1.2.3.4:55443\r\nid: 42\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLocation: yeelight://1.2.3.4:55443\r\nid: 0x11112222333344445\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLocation: yeelight://1.2.3.4:55443\r\n")]
    public void Datagrams_that_are_not_a_bulb_advert_are_refused_with_a_reason(string datagram)
    {
        Assert.False(YeelightSearch.TryParseAdvert(Encoding.ASCII.GetBytes(datagram), out var a, out var error));
        Assert.Null(a);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_bulb_recognises_the_search_and_nothing_else()
    {
        Assert.True(YeelightSearch.IsRequest(YeelightSearch.Request));
        Assert.False(YeelightSearch.IsRequest(Encoding.ASCII.GetBytes(SpecResponse)));
        Assert.False(YeelightSearch.IsRequest(Encoding.ASCII.GetBytes("M-SEARCH * HTTP/1.1\r\nST: upnp:rootdevice\r\n")));
    }

    [Fact]
    public void Commands_are_one_json_line_as_in_the_spec()
    {
        var buffer = new ArrayBufferWriter<byte>();
        YeelightCommand.WriteRequest(buffer, 1, YeelightMethods.SetPower, ["on", "smooth", 500]);
        Assert.Equal("{\"id\":1,\"method\":\"set_power\",\"params\":[\"on\",\"smooth\",500]}\r\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Results_errors_and_props_are_told_apart()
    {
        Assert.True(YeelightMessage.TryParse("{\"id\":1,\"result\":[\"ok\"]}"u8, out var ok, out _));
        Assert.Equal((YeelightMessageKind.Result, 1L, "ok"), (ok!.Kind, ok.Id, ok.Results[0]));

        Assert.True(YeelightMessage.TryParse("{\"id\":2,\"error\":{\"code\":-1,\"message\":\"unsupported method\"}}"u8, out var err, out _));
        Assert.Equal((YeelightMessageKind.Error, 2L, -1, "unsupported method"), (err!.Kind, err.Id, err.ErrorCode, err.ErrorMessage));

        Assert.True(YeelightMessage.TryParse("{\"method\":\"props\",\"params\":{\"power\":\"on\",\"bright\":50}}"u8, out var props, out _));
        Assert.Equal(YeelightMessageKind.Props, props!.Kind);
        Assert.Equal([new("power", "on"), new("bright", "50")], props.Props);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"x\",\"result\":[\"ok\"]}")]
    [InlineData("{\"id\":1}")]
    [InlineData("{\"method\":\"props\",\"params\":[1]}")]
    [InlineData("{\"method\":\"other\",\"params\":{}}")]
    [InlineData("{\"id\":1,\"result\":[\"ok\"")]
    public void Malformed_lines_are_refused_with_a_reason(string line)
    {
        Assert.False(YeelightMessage.TryParse(Encoding.UTF8.GetBytes(line), out var m, out var error));
        Assert.Null(m);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Lines_are_split_at_crlf_and_overlong_ones_are_dropped_without_losing_the_next()
    {
        var text = "{\"id\":1,\"result\":[\"ok\"]}\r\n" + new string('x', YeelightConstants.MaxLineBytes + 10) + "\r\n{\"id\":2,\"result\":[\"ok\"]}\r\npartial";
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        var skipping = false;
        var seen = new List<string>();
        var dropped = 0;
        while (true)
        {
            var r = YeelightLines.TryTake(ref buffer, ref skipping, out var line);
            if (r == LineRead.Dropped) dropped++;
            else if (r == LineRead.Line) seen.Add(Encoding.ASCII.GetString(line.ToArray()));
            else break;
        }
        Assert.Equal(["{\"id\":1,\"result\":[\"ok\"]}", "{\"id\":2,\"result\":[\"ok\"]}"], seen);
        Assert.Equal(1, dropped);
        Assert.Equal("partial", Encoding.ASCII.GetString(buffer.ToArray()));
    }
}
