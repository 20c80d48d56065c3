using System.Buffers;
using System.Buffers.Binary;

namespace Bridge.Protocols.Modbus;

/// <summary>Finds RTU frames at the start of received bytes. RTU has no delimiter: a frame's length
/// follows from its function code (and byte count), and the CRC tells a frame from noise. On
/// <see cref="ModbusDecodeStatus.Invalid"/> one byte is consumed, so a caller sliding forward
/// resynchronises on the next real frame. Never throws on any input.</summary>
public static class ModbusRtuDecoder
{
    public static ModbusDecodeStatus TryDecodeResponse(ReadOnlySequence<byte> input, out ModbusResponse? response, out int consumed, out string? problem)
    {
        if (input.IsSingleSegment) return TryDecodeResponse(input.FirstSpan, out response, out consumed, out problem);
        Span<byte> copy = stackalloc byte[ModbusLimits.MaxFrame];
        var n = (int)Math.Min(input.Length, copy.Length);
        input.Slice(0, n).CopyTo(copy);
        return TryDecodeResponse(copy[..n], out response, out consumed, out problem);
    }

    public static ModbusDecodeStatus TryDecodeRequest(ReadOnlySequence<byte> input, out ModbusRequest? request, out int consumed, out string? problem)
    {
        if (input.IsSingleSegment) return TryDecodeRequest(input.FirstSpan, out request, out consumed, out problem);
        Span<byte> copy = stackalloc byte[ModbusLimits.MaxFrame];
        var n = (int)Math.Min(input.Length, copy.Length);
        input.Slice(0, n).CopyTo(copy);
        return TryDecodeRequest(copy[..n], out request, out consumed, out problem);
    }

    public static ModbusDecodeStatus TryDecodeResponse(ReadOnlySpan<byte> input, out ModbusResponse? response, out int consumed, out string? problem)
    {
        response = null;
        var status = ResponseLength(input, out var length, out problem);
        if (status != ModbusDecodeStatus.Frame) return Skip(status, out consumed);
        if (input.Length < length) return Skip(ModbusDecodeStatus.Incomplete, out consumed);
        var frame = input[..length];
        if (!ModbusCrc.Check(frame)) return Bad("bad CRC", out consumed, out problem);

        var slave = frame[0];
        var fc = frame[1];
        consumed = length;
        if ((fc & ModbusLimits.ExceptionFlag) != 0)
        {
            response = ModbusResponse.Failure(slave, (ModbusFunction)(fc & 0x7F), (ModbusExceptionCode)frame[2]);
            return ModbusDecodeStatus.Frame;
        }
        var function = (ModbusFunction)fc;
        response = function switch
        {
            ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters =>
                ModbusResponse.Registers(slave, function, ReadValues(frame.Slice(3, frame[2]))),
            ModbusFunction.WriteSingleRegister =>
                new ModbusResponse(slave, function, null, U16(frame, 2), 1, [U16(frame, 4)]),
            _ => new ModbusResponse(slave, function, null, U16(frame, 2), U16(frame, 4), []),
        };
        return ModbusDecodeStatus.Frame;
    }

    public static ModbusDecodeStatus TryDecodeRequest(ReadOnlySpan<byte> input, out ModbusRequest? request, out int consumed, out string? problem)
    {
        request = null;
        var status = RequestLength(input, out var length, out problem);
        if (status != ModbusDecodeStatus.Frame) return Skip(status, out consumed);
        if (input.Length < length) return Skip(ModbusDecodeStatus.Incomplete, out consumed);
        var frame = input[..length];
        if (!ModbusCrc.Check(frame)) return Bad("bad CRC", out consumed, out problem);

        var slave = frame[0];
        var function = (ModbusFunction)frame[1];
        var address = U16(frame, 2);
        consumed = length;
        request = function switch
        {
            ModbusFunction.WriteSingleRegister => new ModbusRequest(slave, function, address, 1, [U16(frame, 4)]),
            ModbusFunction.WriteMultipleRegisters => new ModbusRequest(slave, function, address, U16(frame, 4), ReadValues(frame.Slice(7, frame[6]))),
            _ => new ModbusRequest(slave, function, address, U16(frame, 4), []),
        };
        return ModbusDecodeStatus.Frame;
    }

    private static ModbusDecodeStatus ResponseLength(ReadOnlySpan<byte> input, out int length, out string? problem)
    {
        length = 0;
        problem = null;
        if (input.Length < 2) return ModbusDecodeStatus.Incomplete;
        if (input[0] is 0 or > ModbusLimits.MaxSlaveId) return Bad($"slave address {input[0]} cannot reply", out problem);
        var fc = input[1];
        if ((fc & ModbusLimits.ExceptionFlag) != 0)
        {
            if (!ModbusLimits.IsKnown((byte)(fc & 0x7F))) return Bad($"unknown function 0x{fc:X2}", out problem);
            length = 5;
            return ModbusDecodeStatus.Frame;
        }
        switch (fc)
        {
            case 0x03 or 0x04:
                if (input.Length < 3) return ModbusDecodeStatus.Incomplete;
                var count = input[2];
                if (count == 0 || count % 2 != 0 || count > 2 * ModbusLimits.MaxReadRegisters)
                    return Bad($"impossible byte count {count}", out problem);
                length = 5 + count;
                return ModbusDecodeStatus.Frame;
            case 0x06 or 0x10:
                length = 8;
                return ModbusDecodeStatus.Frame;
            default:
                return Bad($"unknown function 0x{fc:X2}", out problem);
        }
    }

    private static ModbusDecodeStatus RequestLength(ReadOnlySpan<byte> input, out int length, out string? problem)
    {
        length = 0;
        problem = null;
        if (input.Length < 2) return ModbusDecodeStatus.Incomplete;
        if (input[0] > ModbusLimits.MaxSlaveId) return Bad($"reserved address {input[0]}", out problem);
        switch (input[1])
        {
            case 0x03 or 0x04 or 0x06:
                length = 8;
                return ModbusDecodeStatus.Frame;
            case 0x10:
                if (input.Length < 7) return ModbusDecodeStatus.Incomplete;
                var quantity = U16(input, 4);
                var count = input[6];
                if (quantity is < 1 or > ModbusLimits.MaxWriteRegisters || count != 2 * quantity)
                    return Bad($"byte count {count} does not match {quantity} registers", out problem);
                length = 9 + count;
                return ModbusDecodeStatus.Frame;
            default:
                return Bad($"unknown function 0x{input[1]:X2}", out problem);
        }
    }

    private static ushort[] ReadValues(ReadOnlySpan<byte> bytes)
    {
        var values = new ushort[bytes.Length / 2];
        for (var i = 0; i < values.Length; i++) values[i] = U16(bytes, 2 * i);
        return values;
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16BigEndian(s[at..]);

    private static ModbusDecodeStatus Skip(ModbusDecodeStatus status, out int consumed)
    {
        consumed = status == ModbusDecodeStatus.Invalid ? 1 : 0;
        return status;
    }

    private static ModbusDecodeStatus Bad(string why, out string? problem)
    {
        problem = why;
        return ModbusDecodeStatus.Invalid;
    }

    private static ModbusDecodeStatus Bad(string why, out int consumed, out string? problem)
    {
        consumed = 1;
        problem = why;
        return ModbusDecodeStatus.Invalid;
    }
}
