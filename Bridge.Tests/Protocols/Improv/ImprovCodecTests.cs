using System.Buffers;
using Bridge.Protocols.Improv;

namespace Bridge.Tests.Protocols.Improv;

/// <summary>The Improv serial codec reproduces the worked bytes of the Improv spec (PROTOCOLS.md,
/// Improv worked bytes) and reads what the reference firmwares send.</summary>
public sealed class ImprovCodecTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static byte[] Command(ImprovCommand command)
    {
        var w = new ArrayBufferWriter<byte>();
        ImprovRpc.WriteCommand(w, command, []);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void Wifi_settings_packet_matches_the_worked_bytes()
    {
        var w = new ArrayBufferWriter<byte>();
        ImprovRpc.WriteWifiSettings(w, "MyWirelessAP", "mysecurepassword");
        Assert.Equal(Hex("494D50524F56010320 011E0C4D79576972656C6573734150106D7973656375726570617373776F7264 C1 0A"), w.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(ImprovCommand.RequestCurrentState, "494D50524F56 01 03 02 02 00 E5 0A")]
    [InlineData(ImprovCommand.RequestDeviceInfo, "494D50524F56 01 03 02 03 00 E6 0A")]
    [InlineData(ImprovCommand.RequestWifiNetworks, "494D50524F56 01 03 02 04 00 E7 0A")]
    public void Requests_match_the_worked_bytes(ImprovCommand command, string hex) => Assert.Equal(Hex(hex), Command(command));

    [Fact]
    public void State_and_error_packets_match_the_worked_bytes()
    {
        Assert.Equal(Hex("494D50524F56 01 01 01 03 E3"), ImprovFrame.ToArray(ImprovPacketType.CurrentState, [0x03], newline: false));
        Assert.Equal(Hex("494D50524F56 01 02 01 00 E1"), ImprovFrame.ToArray(ImprovPacketType.ErrorState, [0x00], newline: false));
    }

    [Fact]
    public void Result_with_a_url_matches_the_worked_bytes_in_both_forms()
    {
        var standard = new ArrayBufferWriter<byte>();
        ImprovRpc.WriteResult(standard, ImprovCommand.SendWifiSettings, ["http://192.168.1.50"]);
        Assert.Equal(Hex("494D50524F56 01 04 16 01 14 13 687474703A2F2F3139322E3136382E312E3530 D3 0A"), standard.WrittenSpan.ToArray());

        var esphome = new ArrayBufferWriter<byte>();
        ImprovRpc.WriteResult(esphome, ImprovCommand.SendWifiSettings, ["http://192.168.1.50"], extraZero: true);
        Assert.Equal(Hex("494D50524F56 01 04 17 01 14 13 687474703A2F2F3139322E3136382E312E3530 00 D4 0A"), esphome.WrittenSpan.ToArray());
    }

    [Fact]
    public void Both_result_forms_read_back_as_the_same_url()
    {
        foreach (var hex in new[]
                 {
                     "494D50524F56 01 04 16 01 14 13 687474703A2F2F3139322E3136382E312E3530 D3",
                     "494D50524F56 01 04 17 01 14 13 687474703A2F2F3139322E3136382E312E3530 00 D4",
                 })
        {
            var packets = new List<ImprovPacket>();
            new ImprovStreamDecoder().Feed(Hex(hex), packets);
            var packet = Assert.Single(packets);
            Assert.Equal(ImprovPacketType.RpcResult, packet.Type);
            Assert.True(ImprovRpc.TryParseResult(packet.Data, out var command, out var strings));
            Assert.Equal(ImprovCommand.SendWifiSettings, command);
            Assert.Equal(["http://192.168.1.50"], strings);
        }
    }

    [Fact]
    public void Packets_are_found_between_log_lines_on_the_same_port()
    {
        var log = "[I][wifi:123]: Starting scan...\r\n[D][improv_serial:042]: Received Improv\r\n"u8.ToArray();
        var state = ImprovFrame.ToArray(ImprovPacketType.CurrentState, [(byte)ImprovState.Ready]);
        var error = ImprovFrame.ToArray(ImprovPacketType.ErrorState, [(byte)ImprovError.UnableToConnect]);
        var packets = new List<ImprovPacket>();
        var decoder = new ImprovStreamDecoder();
        decoder.Feed([.. log, .. state, .. log, .. error, .. log], packets);
        Assert.Equal([ImprovState.Ready, null], packets.Select(p => p.State));
        Assert.Equal(ImprovError.UnableToConnect, packets[1].Error);
        Assert.Equal(3 * log.Length, decoder.SkippedBytes);
    }

    [Fact]
    public void A_wrong_checksum_is_dropped_and_the_next_packet_still_read()
    {
        var bad = ImprovFrame.ToArray(ImprovPacketType.CurrentState, [0x04]);
        bad[^2] ^= 0x55;
        var good = ImprovFrame.ToArray(ImprovPacketType.CurrentState, [0x02]);
        var packets = new List<ImprovPacket>();
        var decoder = new ImprovStreamDecoder();
        decoder.Feed([.. bad, .. good], packets);
        Assert.Equal(ImprovState.Ready, Assert.Single(packets).State);
        Assert.Equal(1, decoder.BadPackets);
    }

    [Fact]
    public void Wifi_settings_read_back_on_the_device_side()
    {
        var w = new ArrayBufferWriter<byte>();
        ImprovRpc.WriteWifiSettings(w, "家里的网络", "pässwörd with spaces");
        var packets = new List<ImprovPacket>();
        new ImprovStreamDecoder().Feed(w.WrittenSpan, packets);
        Assert.True(ImprovRpc.TryParseCommand(Assert.Single(packets).Data, out var command, out var payload));
        Assert.Equal(ImprovCommand.SendWifiSettings, command);
        Assert.True(ImprovRpc.TryParseWifiSettings(payload, out var ssid, out var password));
        Assert.Equal(("家里的网络", "pässwörd with spaces"), (ssid, password));
    }

    [Fact]
    public void Overlong_settings_are_refused_before_anything_is_written()
    {
        var w = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => ImprovRpc.WriteWifiSettings(w, new string('s', 33), "x"));
        Assert.Throws<ArgumentException>(() => ImprovRpc.WriteWifiSettings(w, "Home", new string('p', 65)));
        Assert.Throws<ArgumentException>(() => ImprovRpc.WriteWifiSettings(w, "", "x"));
        Assert.Equal(0, w.WrittenCount);
    }

    [Fact]
    public void Scan_results_and_device_info_parse()
    {
        Assert.True(ImprovNetwork.TryParse(["Home", "-52", "YES"], out var home));
        Assert.Equal(new ImprovNetwork("Home", -52, true), home);
        Assert.True(ImprovNetwork.TryParse(["Cafe", "-80", "NO"], out var cafe));
        Assert.False(cafe!.Secure);
        Assert.False(ImprovNetwork.TryParse(["Home", "loud", "YES"], out _));
        Assert.True(ImprovDeviceInfo.TryParse(["ESPHome", "2024.6.0", "ESP32-C3", "kitchen-plug"], out var info));
        Assert.Equal("kitchen-plug", info!.Name);
        Assert.Null(info.OsName);
    }
}
