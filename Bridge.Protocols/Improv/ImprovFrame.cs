using System.Buffers;

namespace Bridge.Protocols.Improv;

/// <summary>What <see cref="ImprovFrame.TryDecodeAt"/> found at the start of its input.</summary>
public enum ImprovDecodeStatus
{
    /// <summary>Could be the start of a packet; wait for more bytes.</summary>
    Incomplete,
    /// <summary>A whole packet with a good checksum.</summary>
    Packet,
    /// <summary>Not a packet here (no magic, wrong version, bad checksum).</summary>
    Invalid,
}

/// <summary>The outer framing of Improv over serial: <c>IMPROV</c>, version, type, length, data,
/// an 8-bit sum of everything before it, then the newline that firmware sends and Tasmota waits
/// for (PROTOCOLS.md, Improv packet). Pure: bytes in, bytes out; never throws on any input.</summary>
public static class ImprovFrame
{
    /// <summary>Writes one packet, with the trailing newline unless <paramref name="newline"/> is false.</summary>
    public static void Write(IBufferWriter<byte> output, ImprovPacketType type, ReadOnlySpan<byte> data, bool newline = true)
    {
        if (data.Length > ImprovLimits.MaxData)
            throw new ArgumentException($"Improv data is at most {ImprovLimits.MaxData} bytes, not {data.Length}", nameof(data));
        var total = ImprovLimits.HeaderLength + data.Length + 1 + (newline ? 1 : 0);
        var span = output.GetSpan(total);
        ImprovLimits.Magic.CopyTo(span);
        span[6] = ImprovLimits.Version;
        span[7] = (byte)type;
        span[8] = (byte)data.Length;
        data.CopyTo(span[ImprovLimits.HeaderLength..]);
        var end = ImprovLimits.HeaderLength + data.Length;
        span[end] = Checksum(span[..end]);
        if (newline) span[end + 1] = ImprovLimits.Newline;
        output.Advance(total);
    }

    /// <summary>One packet as a new array (for tests and the simulator).</summary>
    public static byte[] ToArray(ImprovPacketType type, ReadOnlySpan<byte> data, bool newline = true)
    {
        var writer = new ArrayBufferWriter<byte>(ImprovLimits.MaxPacket);
        Write(writer, type, data, newline);
        return writer.WrittenSpan.ToArray();
    }

    public static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes) sum += b;
        return (byte)sum;
    }

    /// <summary>Decodes the packet that starts exactly at <paramref name="input"/>[0]. On
    /// <see cref="ImprovDecodeStatus.Packet"/>, <paramref name="length"/> is the packet's length
    /// without any newline after it.</summary>
    public static ImprovDecodeStatus TryDecodeAt(ReadOnlySpan<byte> input, out ImprovPacket? packet, out int length)
    {
        packet = null;
        length = 0;
        var magic = ImprovLimits.Magic;
        var prefix = Math.Min(input.Length, magic.Length);
        if (!input[..prefix].SequenceEqual(magic[..prefix])) return ImprovDecodeStatus.Invalid;
        if (input.Length < ImprovLimits.HeaderLength) return ImprovDecodeStatus.Incomplete;
        if (input[6] != ImprovLimits.Version) return ImprovDecodeStatus.Invalid;
        var dataLength = input[8];
        var total = ImprovLimits.HeaderLength + dataLength + 1;
        if (input.Length < total) return ImprovDecodeStatus.Incomplete;
        if (Checksum(input[..(total - 1)]) != input[total - 1]) return ImprovDecodeStatus.Invalid;
        packet = new ImprovPacket((ImprovPacketType)input[7], input.Slice(ImprovLimits.HeaderLength, dataLength).ToArray());
        length = total;
        return ImprovDecodeStatus.Packet;
    }
}
