using System.Buffers;
using System.Buffers.Binary;

namespace Bridge.Protocols.Modbus;

/// <summary>Writes RTU frames (address, PDU, CRC low byte first) into a buffer writer.</summary>
public static class ModbusRtuEncoder
{
    /// <summary>Writes a request; returns the frame's length. Throws for a request <see cref="ModbusRequest.Problem"/> refuses.</summary>
    public static int WriteRequest(IBufferWriter<byte> writer, ModbusRequest request)
    {
        if (request.Problem() is { } problem) throw new ArgumentException(problem, nameof(request));
        var span = writer.GetSpan(ModbusLimits.MaxFrame);
        span[0] = request.Slave;
        span[1] = (byte)request.Function;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], request.Address);
        int n;
        switch (request.Function)
        {
            case ModbusFunction.WriteSingleRegister:
                BinaryPrimitives.WriteUInt16BigEndian(span[4..], request.Values[0]);
                n = 6;
                break;
            case ModbusFunction.WriteMultipleRegisters:
                BinaryPrimitives.WriteUInt16BigEndian(span[4..], request.Quantity);
                span[6] = (byte)(request.Quantity * 2);
                n = 7 + WriteValues(span[7..], request.Values);
                break;
            default:
                BinaryPrimitives.WriteUInt16BigEndian(span[4..], request.Quantity);
                n = 6;
                break;
        }
        return Finish(writer, span, n);
    }

    /// <summary>Writes a reply (what a slave sends); returns the frame's length.</summary>
    public static int WriteResponse(IBufferWriter<byte> writer, ModbusResponse response)
    {
        var span = writer.GetSpan(ModbusLimits.MaxFrame);
        span[0] = response.Slave;
        int n;
        if (response.Exception is { } code)
        {
            span[1] = (byte)((byte)response.Function | ModbusLimits.ExceptionFlag);
            span[2] = (byte)code;
            n = 3;
        }
        else
        {
            span[1] = (byte)response.Function;
            switch (response.Function)
            {
                case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                    if (response.Values.Length is < 1 or > ModbusLimits.MaxReadRegisters)
                        throw new ArgumentException($"a read reply carries 1..{ModbusLimits.MaxReadRegisters} registers", nameof(response));
                    span[2] = (byte)(response.Values.Length * 2);
                    n = 3 + WriteValues(span[3..], response.Values);
                    break;
                case ModbusFunction.WriteSingleRegister:
                    BinaryPrimitives.WriteUInt16BigEndian(span[2..], response.Address);
                    BinaryPrimitives.WriteUInt16BigEndian(span[4..], response.Values[0]);
                    n = 6;
                    break;
                default:
                    BinaryPrimitives.WriteUInt16BigEndian(span[2..], response.Address);
                    BinaryPrimitives.WriteUInt16BigEndian(span[4..], response.Quantity);
                    n = 6;
                    break;
            }
        }
        return Finish(writer, span, n);
    }

    /// <summary>Bytes on the wire for a request, without encoding it (for wire-time budgets).</summary>
    public static int RequestLength(ModbusRequest request) =>
        request.Function == ModbusFunction.WriteMultipleRegisters ? 9 + 2 * request.Quantity : 8;

    /// <summary>Bytes on the wire for the normal reply to a request.</summary>
    public static int ResponseLength(ModbusRequest request) =>
        request.IsRead ? 5 + 2 * request.Quantity : 8;

    private static int WriteValues(Span<byte> span, ushort[] values)
    {
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(span[(2 * i)..], values[i]);
        return values.Length * 2;
    }

    private static int Finish(IBufferWriter<byte> writer, Span<byte> span, int n)
    {
        var crc = ModbusCrc.Compute(span[..n]);
        span[n] = (byte)crc;
        span[n + 1] = (byte)(crc >> 8);
        writer.Advance(n + 2);
        return n + 2;
    }
}
