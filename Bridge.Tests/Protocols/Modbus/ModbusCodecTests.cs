using System.Buffers;
using System.Text;
using Bridge.Protocols.Modbus;

namespace Bridge.Tests.Protocols.Modbus;

/// <summary>Golden bytes from PROTOCOLS.md §5 (worked transactions, slave 1).</summary>
public sealed class ModbusCodecTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private static byte[] Encode(ModbusRequest r)
    {
        var w = new ArrayBufferWriter<byte>();
        ModbusRtuEncoder.WriteRequest(w, r);
        return w.WrittenSpan.ToArray();
    }

    private static byte[] Encode(ModbusResponse r)
    {
        var w = new ArrayBufferWriter<byte>();
        ModbusRtuEncoder.WriteResponse(w, r);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void Crc_check_value_and_worked_example()
    {
        Assert.Equal(0x4B37, ModbusCrc.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xCDC5, ModbusCrc.Compute(Hex("01 03 00 00 00 0A")));
        Assert.Equal(Hex("01 03 00 00 00 0A C5 CD"), Encode(ModbusRequest.ReadHolding(1, 0, 10)));
    }

    [Fact]
    public void Read_holding_request_and_reply()
    {
        Assert.Equal(Hex("01 03 00 00 00 06 C5 C8"), Encode(ModbusRequest.ReadHolding(1, 0, 6)));
        var reply = Hex("01 03 0C 00 01 00 04 00 02 00 00 00 E6 00 FF 27 3B");
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeResponse(reply.AsSpan(), out var r, out var consumed, out _));
        Assert.Equal(reply.Length, consumed);
        Assert.Equal(new ushort[] { 1, 4, 2, 0, 230, 255 }, r!.Values);
        Assert.True(r.Answers(ModbusRequest.ReadHolding(1, 0, 6)));
        Assert.False(r.Answers(ModbusRequest.ReadHolding(2, 0, 6)));
        Assert.Equal(reply, Encode(ModbusResponse.Registers(1, ModbusFunction.ReadHoldingRegisters, [1, 4, 2, 0, 230, 255])));
    }

    [Fact]
    public void Write_single_is_echoed()
    {
        var frame = Hex("01 06 00 04 00 E6 49 81");
        var request = ModbusRequest.WriteSingle(1, 4, 230);
        Assert.Equal(frame, Encode(request));
        Assert.Equal(frame, Encode(ModbusResponse.EchoOf(request)));
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeResponse(frame.AsSpan(), out var r, out _, out _));
        Assert.True(r!.Answers(request));
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeRequest(frame.AsSpan(), out var back, out _, out _));
        Assert.Equal(request, back);
    }

    [Fact]
    public void Write_multiple_and_its_reply()
    {
        var request = ModbusRequest.WriteMultiple(1, 0, [1, 4]);
        Assert.Equal(Hex("01 10 00 00 00 02 04 00 01 00 04 A3 AC"), Encode(request));
        var reply = Hex("01 10 00 00 00 02 41 C8");
        Assert.Equal(reply, Encode(ModbusResponse.EchoOf(request)));
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeResponse(reply.AsSpan(), out var r, out _, out _));
        Assert.True(r!.Answers(request));
    }

    [Fact]
    public void Read_input_request()
    {
        var frame = Hex("01 04 00 00 00 02 71 CB");
        Assert.Equal(frame, Encode(ModbusRequest.ReadInput(1, 0, 2)));
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeRequest(frame.AsSpan(), out var r, out _, out _));
        Assert.Equal(ModbusRequest.ReadInput(1, 0, 2), r);
    }

    [Fact]
    public void Exception_reply()
    {
        var frame = Hex("01 83 02 C0 F1");
        Assert.Equal(frame, Encode(ModbusResponse.Failure(1, ModbusFunction.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress)));
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeResponse(frame.AsSpan(), out var r, out _, out _));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, r!.Exception);
        Assert.True(r.Answers(ModbusRequest.ReadHolding(1, 0, 6)));
        Assert.Contains("illegal data address", ModbusExceptionCodes.Describe(r.Exception!.Value));
    }

    [Fact]
    public void Partial_input_waits_and_a_bad_crc_is_skipped_one_byte_at_a_time()
    {
        var reply = Hex("01 03 0C 00 01 00 04 00 02 00 00 00 E6 00 FF 27 3B");
        for (var n = 0; n < reply.Length; n++)
        {
            Assert.Equal(ModbusDecodeStatus.Incomplete, ModbusRtuDecoder.TryDecodeResponse(reply.AsSpan(0, n), out _, out var c, out _));
            Assert.Equal(0, c);
        }
        var bad = (byte[])reply.Clone();
        bad[^1] ^= 0xFF;
        Assert.Equal(ModbusDecodeStatus.Invalid, ModbusRtuDecoder.TryDecodeResponse(bad.AsSpan(), out _, out var skipped, out var why));
        Assert.Equal(1, skipped);
        Assert.Equal("bad CRC", why);
    }

    [Fact]
    public void A_frame_split_across_segments_decodes()
    {
        var reply = Hex("01 03 0C 00 01 00 04 00 02 00 00 00 E6 00 FF 27 3B");
        var first = new Segment(reply.AsMemory(0, 5));
        var last = first.Append(reply.AsMemory(5));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeResponse(sequence, out var r, out var consumed, out _));
        Assert.Equal(17, consumed);
        Assert.Equal(230, r!.Values[4]);
    }

    [Fact]
    public void Requests_past_the_limits_are_refused_before_encoding()
    {
        Assert.NotNull(ModbusRequest.ReadHolding(1, 0, 126).Problem());
        Assert.NotNull(ModbusRequest.ReadHolding(248, 0, 1).Problem());
        Assert.NotNull(ModbusRequest.WriteMultiple(1, 0, new ushort[124]).Problem());
        Assert.NotNull(ModbusRequest.ReadHolding(1, 65535, 2).Problem());
        Assert.Throws<ArgumentException>(() => Encode(ModbusRequest.ReadHolding(1, 0, 0)));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
