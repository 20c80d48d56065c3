using System.Buffers;
using System.Net;
using Bridge.Protocols.Miio;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.Miio;
using Bridge.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>The bridge's miIO network parsers against random, truncated and bit-flipped datagrams:
/// they never throw, and nothing altered ever passes as a device's answer.</summary>
public sealed class MiioPropertyTests
{
    private static readonly byte[] Token = Convert.FromHexString(MiioRig.Token);
    private const uint Did = 123456789;
    private const uint Stamp = 5_000_000;

    private static byte[] Genuine(long id)
    {
        var w = new ArrayBufferWriter<byte>();
        MiioPacketCodec.Write(w, Token, Did, Stamp, MiioJson.Result(id, x => { x.WriteStartArray(); x.WriteEndArray(); }));
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void The_genuine_answer_is_accepted()
    {
        Assert.Equal(MiioReplyVerdict.Accepted, MiioReplyVetting.Vet(Genuine(7), Token, Did, 7, Stamp, out var reply, out var stamp, out _));
        Assert.Equal((7L, Stamp), (reply!.Id, stamp));
    }

    [Fact]
    public void Random_and_truncated_datagrams_never_throw_and_are_never_accepted() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), Gen.Choose(0, 2000).ToArbitrary(), (bytes, cut) =>
        {
            Assert.NotEqual(MiioReplyVerdict.Accepted, MiioReplyVetting.Vet(bytes, Token, Did, 7, Stamp, out _, out _, out _));
            var genuine = Genuine(7);
            var truncated = genuine.AsSpan(0, cut % genuine.Length).ToArray();
            Assert.NotEqual(MiioReplyVerdict.Accepted, MiioReplyVetting.Vet(truncated, Token, Did, 7, Stamp, out _, out _, out _));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_flipped_bit_anywhere_never_passes_as_the_answer() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), at =>
        {
            var bytes = Genuine(7);
            var bit = at % (bytes.Length * 8);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(MiioReplyVerdict.Accepted, MiioReplyVetting.Vet(bytes, Token, Did, 7, Stamp, out var reply, out _, out var problem));
            Assert.Null(reply);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public async Task Discovery_takes_any_datagram_without_throwing_and_lists_only_hello_answers()
    {
        await using var bridge = await TestBridge.StartAsync(null, false, "--Discovery:BeaconPort=0");
        var search = bridge.App.Services.GetRequiredService<MiioLanDiscovery>();
        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        var from = new IPEndPoint(IPAddress.Parse("127.9.9.9"), 54321);
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), bytes =>
        {
            var mine = search.TryHandle(bytes, from, null);
            Assert.Equal(bytes.Length >= 2 && bytes[0] == 0x21 && bytes[1] == 0x31, mine);
        }).QuickCheckThrowOnFailure();
        // A device's hello answer is listed; another client's hello (all FF) and a bit-flipped length are not.
        Assert.True(search.TryHandle(MiioPacketCodec.Hello(), from, null));
        var flipped = MiioPacketCodec.HelloAnswer(99, 1);
        flipped[3] ^= 1;
        Assert.True(search.TryHandle(flipped, from, null));
        Assert.DoesNotContain(discovered.List(), d => d.Device.Protocol == "miio");
        Assert.True(search.TryHandle(MiioPacketCodec.HelloAnswer(99, 1), from, null));
        Assert.Equal("miio-99", Assert.Single(discovered.List(), d => d.Device.Protocol == "miio").Device.Id);
    }
}
