using System.Buffers;
using System.Text;
using Bridge.Protocols.Yeelight;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Yeelight;

/// <summary>Random, truncated and hostile input never makes the Yeelight parsers throw; legal
/// messages survive a round trip.</summary>
public sealed class YeelightPropertyTests
{
    private static readonly string[] Fragments =
    [
        "HTTP/1.1 200 OK\r\n", "NOTIFY * HTTP/1.1\r\n", "M-SEARCH * HTTP/1.1\r\n", "Location: yeelight://", "127.0.0.1", ":55443", ":99999",
        "\r\n", "\n", "id: 0x", "ffffffffffffffff", "0", "name: ", "=====", "\u00ff", "Cache-Control: max-age=", "99999999999",
        "{", "}", "[", "]", "\"id\"", ":", ",", "\"result\"", "\"error\"", "\"method\"", "\"props\"", "\"params\"", "1e999", "null",
        "\"\\ud800\"", "-1", "\"ok\"", "{\"code\":", "true",
    ];

    private static Gen<byte[]> Hostile() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>(),
            Gen.ListOf(Gen.Elements(Fragments)).Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts))));

    /// <summary>Legal adverts, then cut anywhere: a prefix of a datagram is what a truncated read gives.</summary>
    private static Gen<YeelightAdvert> Adverts() =>
        from id in ArbMap.Default.GeneratorFor<ulong>()
        from a in Gen.Choose(1, 254)
        from port in Gen.Choose(1, 65535)
        from bright in Gen.Choose(1, 100)
        from ct in Gen.Choose(1700, 6500)
        from isOn in ArbMap.Default.GeneratorFor<bool>()
        from name in Gen.Elements("Desk", "书房灯", "lamp 2", "")
        from notify in ArbMap.Default.GeneratorFor<bool>()
        select new YeelightAdvert
        {
            Id = "0x" + id.ToString("x16"), Host = $"10.0.0.{a}", Port = port, IsNotify = notify, Model = "color",
            Support = ["get_prop", "set_power", "set_bright", "set_ct_abx"], Power = isOn ? "on" : "off",
            Bright = bright.ToString(), Ct = ct.ToString(), Name = name, MaxAge = TimeSpan.FromSeconds(3600),
        };

    [Fact]
    public void Advert_parser_never_throws() =>
        Prop.ForAll(Hostile().ToArbitrary(), bytes =>
        {
            if (!YeelightSearch.TryParseAdvert(bytes, out _, out var error)) Assert.NotEmpty(error);
            YeelightSearch.IsRequest(bytes);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Line_parsers_never_throw() =>
        Prop.ForAll(Hostile().ToArbitrary(), bytes =>
        {
            if (!YeelightMessage.TryParse(bytes, out _, out var error)) Assert.NotEmpty(error);
            if (!YeelightRequest.TryParse(bytes, out _, out error)) Assert.NotEmpty(error);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Adverts_round_trip_and_their_truncations_never_throw() =>
        Prop.ForAll(Adverts().ToArbitrary(), Gen.Choose(0, 600).ToArbitrary(), (advert, cut) =>
        {
            var bytes = YeelightSearch.WriteAdvert(advert, advert.IsNotify);
            Assert.True(YeelightSearch.TryParseAdvert(bytes, out var back, out var error), error);
            Assert.Equal(advert with { Support = back!.Support }, back);
            Assert.Equal(advert.Support, back.Support);
            YeelightSearch.TryParseAdvert(bytes.AsSpan(0, Math.Min(cut, bytes.Length)), out _, out _);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Commands_round_trip_through_the_bulbs_parser() =>
        Prop.ForAll(Gen.Choose(1, int.MaxValue).ToArbitrary(), Gen.Choose(1, 100).ToArbitrary(), Gen.Elements("smooth", "sudden").ToArbitrary(), (id, bright, effect) =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            YeelightCommand.WriteRequest(buffer, id, YeelightMethods.SetBright, [bright, effect, 300]);
            var seq = new ReadOnlySequence<byte>(buffer.WrittenMemory);
            var skipping = false;
            Assert.Equal(LineRead.Line, YeelightLines.TryTake(ref seq, ref skipping, out var line));
            Assert.True(YeelightRequest.TryParse(line.ToArray(), out var r, out _));
            Assert.Equal((long)id, r!.Id);
            Assert.Equal(new YeelightParam[] { bright, effect, 300 }, r.Params);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Props_round_trip() =>
        Prop.ForAll(Gen.Choose(1, 100).ToArbitrary(), Gen.Choose(1700, 6500).ToArbitrary(), (bright, ct) =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            KeyValuePair<string, string>[] props = [new("bright", bright.ToString()), new("ct", ct.ToString())];
            YeelightCommand.WriteProps(buffer, props);
            Assert.True(YeelightMessage.TryParse(buffer.WrittenSpan[..^2], out var m, out _));
            Assert.Equal(props, m!.Props);
        }).QuickCheckThrowOnFailure();
}
