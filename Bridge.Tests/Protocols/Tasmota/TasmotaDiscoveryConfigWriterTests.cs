using System.Buffers;
using System.Text.Json;
using Bridge.Protocols.Tasmota;

namespace Bridge.Tests.Protocols.Tasmota;

public sealed class TasmotaDiscoveryConfigWriterTests
{
    [Fact]
    public void Written_config_reads_back_the_same()
    {
        var config = new TasmotaDiscoveryConfig
        {
            Mac = "4C11AE0D1A01", Topic = "lamp-1", Ip = "127.0.0.1", DeviceName = "Living room lamp", FriendlyName = "Living room lamp",
            Hostname = "lamp-1", Module = "Generic CCT Bulb", Version = "14.4.1", Relays = [2], LightSubtype = 2,
        };
        var buffer = new ArrayBufferWriter<byte>();
        TasmotaDiscoveryConfigWriter.Write(config, buffer);

        Assert.True(TasmotaDiscoveryConfig.TryParse(buffer.WrittenSpan, out var back, out var error), error);
        Assert.Equal(config.Mac, back!.Mac);
        Assert.Equal(config.Topic, back.Topic);
        Assert.Equal(config.FriendlyName, back.FriendlyName);
        Assert.Equal(config.Module, back.Module);
        Assert.Equal(config.FullTopic, back.FullTopic);
        Assert.Equal(config.Prefixes, back.Prefixes);
        Assert.Equal(2, back.Relays[0]);
        Assert.All(back.Relays.Skip(1), r => Assert.Equal(0, r));
        Assert.Equal(2, back.LightSubtype);
    }

    [Fact]
    public void Arrays_are_padded_to_the_slot_count_as_firmware_does()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TasmotaDiscoveryConfigWriter.Write(new TasmotaDiscoveryConfig { Mac = "AABBCCDDEEFF", Topic = "t", Relays = [1] }, buffer);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var r = doc.RootElement;
        foreach (var name in new[] { "fn", "rl", "swc", "swn", "btn" })
            Assert.Equal(TasmotaDiscoveryConfigWriter.Slots, r.GetProperty(name).GetArrayLength());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("fn")[1].ValueKind);
        Assert.Equal(1, r.GetProperty("ver").GetInt32());
        Assert.Equal("Offline", r.GetProperty("ofln").GetString());
    }
}
