using Bridge.Tests.Service.Drivers.Tuya;
using Bridge.Tests.Infrastructure;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bridge.Protocols.Gree;
using Bridge.Protocols.Tuya;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.Gree;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Gree;

/// <summary>What the bridge's Gree scan does with answers that are not a unit's: garbage, another
/// protocol's frames, packs under the wrong key, descriptions without a valid MAC. Nothing is listed,
/// nothing crashes, a real unit next to them is still found, and the warnings come one per sender.</summary>
public sealed class GreeBadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A "unit" on loopback that answers every scan with every bad answer in turn.</summary>
    private static async Task<(UdpClient Socket, Task Loop)> RogueAsync(IPAddress address, CancellationToken ct)
    {
        var udp = new UdpClient(new IPEndPoint(address, 0));
        byte[][] answers =
        [
            Encoding.ASCII.GetBytes("{not json"),
            Encoding.ASCII.GetBytes("{\"t\":\"pack\",\"cid\":\"x\"}"),
            [0, 0, 0x55, 0xAA, 1, 2, 3],
            TuyaDiscovery.WriteDeviceInfoRequest(IPAddress.Loopback),
            GreeEnvelope.Write(GreeCipherVersion.V1, "0123456789abcdef", 1, "aabbccddeeff", "", GreeMessage.Device("aabbccddeeff", "Wrong key", "m", "V1", "h")),
            GreeEnvelope.Write(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, 1, "zz", "", GreeMessage.Device("not-a-mac", "Bad mac", "m", "V1", "h")),
            GreeEnvelope.Write(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, 1, "", "", GreeMessage.Bind("aabbccddeeff")),
            Encoding.ASCII.GetBytes("{\"t\":\"pack\",\"pack\":\"!!!\",\"tag\":\"AAAA\"}"),
        ];
        var loop = Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                var r = await udp.ReceiveAsync(ct);
                foreach (var a in answers) await udp.SendAsync(a, r.RemoteEndPoint, ct);
            }
        }, ct);
        return (udp, loop);
    }

    [Fact]
    public async Task Bad_scan_answers_list_nothing_and_warn_once_per_sender_while_a_real_unit_is_found()
    {
        using var stop = new CancellationTokenSource();
        var rogueAddress = LoopbackAddresses.Next();
        var (rogue, loop) = await RogueAsync(rogueAddress, stop.Token);
        var unit = GreeRig.Unit();
        await using var rig = await GreeRig.StartAsync([unit], $"--Discovery:Gree:ScanTargets:9={rogue.Client.LocalEndPoint}");
        await rig.Bridge.UntilFoundAsync(unit.DeviceId, Timeout);
        await using var client = await rig.Bridge.ConnectAsync(Bridge.Service.Security.TokenScope.Install);

        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToArray();
        Assert.Equal([unit.DeviceId], found.Where(f => f.StartsWith("gree-")).ToArray());
        var warnings = rig.Logs.Events.Where(e => e.Text.Contains("gree-udp " + rogueAddress)).ToArray();
        Assert.Single(warnings);
        await stop.CancelAsync();
        rogue.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => loop);
    }

    [Fact]
    public async Task Any_datagram_on_the_scan_socket_never_throws_and_only_a_valid_description_is_listed()
    {
        await using var rig = await GreeRig.StartAsync([]);
        var scan = rig.Bridge.App.Services.GetServices<IUdpDiscovery>().OfType<GreeLanDiscovery>().Single();
        var discovered = rig.Bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        var from = new IPEndPoint(IPAddress.Loopback, 7000);
        var pieces = Gen.Elements("{", "}", "\"t\"", ":", "\"pack\"", "\"scan\"", ",", "\"tag\"", "\"AAAA\"", "null", "[", "]", "1e999", "\"cid\"", "\"dev\"", " ");
        var validPack = GreeEnvelope.Write(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, 1, "", "", GreeMessage.Device("a1b2c3d4e5f6", "AC", "m", "V1", "h"));
        var gen = Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>(),
            Gen.ListOf(pieces).Select(p => Encoding.UTF8.GetBytes(string.Concat(p))),
            // A valid answer cut short or with a flipped bit.
            Gen.Choose(0, validPack.Length * 8 - 1).Select(bit => { var b = (byte[])validPack.Clone(); b[bit / 8] ^= (byte)(1 << (bit % 8)); return b; }),
            Gen.Choose(0, validPack.Length - 1).Select(n => validPack[..n]));
        Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            scan.TryHandle(bytes, from, null);
            foreach (var (d, _) in discovered.List().Where(x => x.Device.Protocol == "gree"))
                Assert.True(GreeColumns.IsMac(d.Id["gree-".Length..]), d.Id);
        }).QuickCheckThrowOnFailure();
        Assert.False(scan.TryHandle([0, 0, 0x55, 0xAA], from, null));
        Assert.True(scan.TryHandle(validPack, from, null));
        Assert.NotNull(discovered.Find("gree-a1b2c3d4e5f6"));
    }
}
