using System.Buffers;
using Bridge.Protocols.Modbus;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Modbus;

/// <summary>Random frames: every encoded frame decodes to itself; no input makes the decoder throw.</summary>
public sealed class ModbusPropertyTests
{
    private static readonly Gen<byte> Slaves = Gen.Choose(1, 247).Select(i => (byte)i);
    private static readonly Gen<ushort> Words = Gen.Choose(0, 65535).Select(i => (ushort)i);

    private static Gen<ushort[]> WordArray(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Words, n));

    private static readonly Gen<ModbusRequest> Requests = Gen.OneOf(
        from s in Slaves from a in Gen.Choose(0, 60000) from q in Gen.Choose(1, 125) select ModbusRequest.ReadHolding(s, (ushort)a, (ushort)q),
        from s in Slaves from a in Gen.Choose(0, 60000) from q in Gen.Choose(1, 125) select ModbusRequest.ReadInput(s, (ushort)a, (ushort)q),
        from s in Slaves from a in Words from v in Words select ModbusRequest.WriteSingle(s, a, v),
        from s in Slaves from a in Gen.Choose(0, 60000) from v in WordArray(1, 123) select ModbusRequest.WriteMultiple(s, (ushort)a, v));

    private static readonly Gen<ModbusResponse> Responses = Gen.OneOf(
        from s in Slaves from v in WordArray(1, 125) from f in Gen.Elements(ModbusFunction.ReadHoldingRegisters, ModbusFunction.ReadInputRegisters)
            select ModbusResponse.Registers(s, f, v),
        from r in Requests where !r.IsRead select ModbusResponse.EchoOf(r),
        from s in Slaves
        from f in Gen.Elements(Enum.GetValues<ModbusFunction>())
        from c in Gen.Elements(Enum.GetValues<ModbusExceptionCode>())
        select ModbusResponse.Failure(s, f, c));

    [Fact]
    public void Requests_round_trip() =>
        Prop.ForAll(Requests.ToArbitrary(), request =>
        {
            var w = new ArrayBufferWriter<byte>();
            var n = ModbusRtuEncoder.WriteRequest(w, request);
            Assert.Equal(ModbusRtuEncoder.RequestLength(request), n);
            Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeRequest(w.WrittenSpan, out var back, out var consumed, out _));
            Assert.Equal(n, consumed);
            Assert.Equal(request, back);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Responses_round_trip() =>
        Prop.ForAll(Responses.ToArbitrary(), response =>
        {
            var w = new ArrayBufferWriter<byte>();
            var n = ModbusRtuEncoder.WriteResponse(w, response);
            Assert.Equal(ModbusDecodeStatus.Frame, ModbusRtuDecoder.TryDecodeResponse(w.WrittenSpan, out var back, out var consumed, out _));
            Assert.Equal(n, consumed);
            Assert.Equal(response, back);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Truncated_frames_ask_for_more() =>
        Prop.ForAll(Responses.ToArbitrary(), response =>
        {
            var w = new ArrayBufferWriter<byte>();
            var n = ModbusRtuEncoder.WriteResponse(w, response);
            for (var cut = 0; cut < n; cut++)
                Assert.Equal(ModbusDecodeStatus.Incomplete, ModbusRtuDecoder.TryDecodeResponse(w.WrittenSpan[..cut], out _, out _, out _));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Garbage_never_throws_and_always_makes_progress() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            // Slide through the input as a receiver would: every step either finds a frame,
            // drops a byte, or waits; it never throws and never loops without consuming.
            ReadOnlySpan<byte> rest = bytes;
            while (!rest.IsEmpty)
            {
                var status = ModbusRtuDecoder.TryDecodeResponse(rest, out _, out var consumed, out _);
                if (status == ModbusDecodeStatus.Incomplete) break;
                Assert.True(consumed > 0);
                rest = rest[consumed..];
            }
            rest = bytes;
            while (!rest.IsEmpty)
            {
                var status = ModbusRtuDecoder.TryDecodeRequest(new ReadOnlySequence<byte>(rest.ToArray()), out _, out var consumed, out _);
                if (status == ModbusDecodeStatus.Incomplete) break;
                Assert.True(consumed > 0);
                rest = rest[consumed..];
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_frame_after_line_noise_is_found()
    {
        // Noise that cannot start a reply (address 0 or a reserved one) is dropped byte by byte
        // and the real frame behind it is found.
        var noise = Gen.ArrayOf(Gen.Elements<byte>(0x00, 0xF8, 0xFA, 0xFF));
        Prop.ForAll(noise.ToArbitrary(), Responses.ToArbitrary(), (garbage, response) =>
        {
            var w = new ArrayBufferWriter<byte>();
            w.Write(garbage);
            ModbusRtuEncoder.WriteResponse(w, response);
            ReadOnlySpan<byte> rest = w.WrittenSpan;
            var dropped = 0;
            while (true)
            {
                var status = ModbusRtuDecoder.TryDecodeResponse(rest, out var r, out var consumed, out _);
                if (status == ModbusDecodeStatus.Frame)
                {
                    Assert.Equal(response, r);
                    Assert.Equal(garbage.Length, dropped);
                    return;
                }
                Assert.Equal(ModbusDecodeStatus.Invalid, status);
                dropped += consumed;
                rest = rest[consumed..];
            }
        }).QuickCheckThrowOnFailure();
    }
}
