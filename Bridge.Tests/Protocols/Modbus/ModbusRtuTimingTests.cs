using Bridge.Protocols.Modbus;

namespace Bridge.Tests.Protocols.Modbus;

/// <summary>A serial line's wire timing (Modbus over Serial Line V1.02 §2.5.1.1): characters of
/// 10 or 11 bits, the 3.5-character gap, fixed at 1.75 ms above 19200 baud.</summary>
public sealed class ModbusRtuTimingTests
{
    [Fact]
    public void A_character_is_start_eight_data_parity_and_stop_bits()
    {
        Assert.Equal(11, new ModbusRtuTiming(9600, parity: true, stopBits: 1).BitsPerChar);
        Assert.Equal(10, new ModbusRtuTiming(9600, parity: false, stopBits: 1).BitsPerChar);
        Assert.Equal(11, new ModbusRtuTiming(9600, parity: false, stopBits: 2).BitsPerChar);
    }

    [Fact]
    public void Eight_bytes_at_9600_8E1_take_88_bit_times()
    {
        var timing = new ModbusRtuTiming(9600, parity: true, stopBits: 1);

        Assert.Equal(88.0 / 9600, timing.WireTime(8).TotalSeconds, precision: 6);
    }

    [Fact]
    public void The_gap_is_three_and_a_half_characters_up_to_19200_baud_then_a_fixed_1_75_ms()
    {
        Assert.Equal(3.5 * 11 / 9600, new ModbusRtuTiming(9600, parity: true, stopBits: 1).InterFrameGap.TotalSeconds, precision: 6);
        Assert.Equal(3.5 * 11 / 19200, new ModbusRtuTiming(19200, parity: true, stopBits: 1).InterFrameGap.TotalSeconds, precision: 6);
        Assert.Equal(TimeSpan.FromMilliseconds(1.75), new ModbusRtuTiming(38400, parity: true, stopBits: 1).InterFrameGap);
    }
}
