using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Bridge.Protocols.Dns;

/// <summary>Decodes DNS messages from the network. Never throws on bad input: every problem is
/// an error string. Compression pointers must point strictly backwards (so a loop cannot exist),
/// labels are at most 63 bytes and names at most 255, and counts that cannot fit in the packet
/// are refused before anything is allocated for them.</summary>
public static class DnsReader
{
    /// <summary>Smallest question: root name (1) + type (2) + class (2).</summary>
    private const int MinQuestionBytes = 5;
    /// <summary>Smallest record: root name (1) + type, class (4) + TTL (4) + RDLENGTH (2).</summary>
    private const int MinRecordBytes = 11;

    public static bool TryRead(ReadOnlySpan<byte> packet, out DnsMessage? message, out string? error)
    {
        message = null;
        if (packet.Length < DnsConstants.HeaderLength)
        {
            error = $"{packet.Length} bytes is shorter than a DNS header";
            return false;
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        long needed = (long)qd * MinQuestionBytes + (long)(an + ns + ar) * MinRecordBytes;
        if (needed > packet.Length - DnsConstants.HeaderLength)
        {
            error = $"counts ({qd} questions, {an + ns + ar} records) cannot fit in {packet.Length} bytes";
            return false;
        }

        var pos = DnsConstants.HeaderLength;
        var questions = new DnsQuestion[qd];
        for (var i = 0; i < qd; i++)
        {
            if (!TryReadName(packet, ref pos, out var name, out error)) return false;
            if (packet.Length - pos < 4)
            {
                error = "question ends early";
                return false;
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
            pos += 4;
            questions[i] = new DnsQuestion(name, (DnsType)type, (ushort)(cls & ~DnsConstants.UnicastResponseBit),
                (cls & DnsConstants.UnicastResponseBit) != 0);
        }
        if (!TryReadRecords(packet, ref pos, an, out var answers, out error)) return false;
        if (!TryReadRecords(packet, ref pos, ns, out var authorities, out error)) return false;
        if (!TryReadRecords(packet, ref pos, ar, out var additionals, out error)) return false;

        message = new DnsMessage { Id = id, Flags = flags, Questions = questions, Answers = answers, Authorities = authorities, Additionals = additionals };
        error = null;
        return true;
    }

    private static bool TryReadRecords(ReadOnlySpan<byte> packet, ref int pos, int count, out DnsRecord[] records, out string? error)
    {
        records = count == 0 ? [] : new DnsRecord[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadName(packet, ref pos, out var name, out error)) return false;
            if (packet.Length - pos < 10)
            {
                error = "record header ends early";
                return false;
            }
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(pos + 4)..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 8)..]);
            pos += 10;
            if (packet.Length - pos < length)
            {
                error = $"{type} record data of {length} bytes runs past the end";
                return false;
            }
            if (!TryReadData(packet, pos, length, type, out var data, out error)) return false;
            pos += length;
            records[i] = new DnsRecord(name, type, ttl, data, (cls & DnsConstants.CacheFlushBit) != 0, (ushort)(cls & ~DnsConstants.CacheFlushBit));
        }
        error = null;
        return true;
    }

    private static bool TryReadData(ReadOnlySpan<byte> packet, int start, int length, DnsType type, out DnsRecordData data, out string? error)
    {
        data = null!;
        var end = start + length;
        var rdata = packet[start..end];
        var pos = start;
        switch (type)
        {
            case DnsType.A or DnsType.Aaaa:
                var size = type == DnsType.A ? 4 : 16;
                if (length != size)
                {
                    error = $"{type} data must be {size} bytes, not {length}";
                    return false;
                }
                data = new AddressData(new IPAddress(rdata));
                break;
            case DnsType.Ptr:
                if (!TryReadName(packet, ref pos, out var target, out error) || !Within(pos, end, type, out error)) return false;
                data = new PtrData(target);
                break;
            case DnsType.Srv:
                if (length < 7)
                {
                    error = $"SRV data of {length} bytes is too short";
                    return false;
                }
                pos += 6;
                if (!TryReadName(packet, ref pos, out var host, out error) || !Within(pos, end, type, out error)) return false;
                data = new SrvData(BinaryPrimitives.ReadUInt16BigEndian(rdata), BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]),
                    BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]), host);
                break;
            case DnsType.Txt:
                var strings = new List<byte[]>();
                for (var i = 0; i < rdata.Length;)
                {
                    var n = rdata[i];
                    if (i + 1 + n > rdata.Length)
                    {
                        error = "TXT string runs past its record";
                        return false;
                    }
                    strings.Add(rdata.Slice(i + 1, n).ToArray());
                    i += 1 + n;
                }
                data = new TxtData(strings);
                break;
            case DnsType.Nsec:
                // Only mDNS's restricted form matters to us; anything odd is kept raw rather than refused.
                data = TryReadName(packet, ref pos, out var next, out _) && pos <= end
                    ? new NsecData(next, packet[pos..end].ToArray())
                    : new RawData(rdata.ToArray());
                break;
            default:
                data = new RawData(rdata.ToArray());
                break;
        }
        error = null;
        return true;
    }

    private static bool Within(int pos, int end, DnsType type, out string? error)
    {
        error = pos <= end ? null : $"{type} name runs past its record";
        return error is null;
    }

    /// <summary>Reads a possibly compressed name at <paramref name="pos"/> and moves past it.
    /// Each pointer must land before the lowest offset read so far for this name, so following
    /// pointers always makes progress towards the start of the packet and ends.</summary>
    public static bool TryReadName(ReadOnlySpan<byte> packet, ref int pos, out DnsName name, out string? error)
    {
        name = DnsName.Root;
        List<string>? labels = null;
        var p = pos;
        var lowest = pos;
        var jumped = false;
        var wire = 1;
        while (true)
        {
            if (p >= packet.Length)
            {
                error = "name runs past the end";
                return false;
            }
            int len = packet[p];
            if ((len & 0xC0) == 0xC0)
            {
                if (p + 1 >= packet.Length)
                {
                    error = "compression pointer cut off";
                    return false;
                }
                var target = ((len & 0x3F) << 8) | packet[p + 1];
                if (target >= lowest)
                {
                    error = $"compression pointer to {target} does not point backwards";
                    return false;
                }
                if (!jumped) pos = p + 2;
                jumped = true;
                lowest = p = target;
                continue;
            }
            if ((len & 0xC0) != 0)
            {
                error = $"label type 0x{len & 0xC0:X2} is not supported";
                return false;
            }
            if (len == 0)
            {
                if (!jumped) pos = p + 1;
                break;
            }
            wire += 1 + len;
            if (wire > DnsName.MaxWireBytes)
            {
                error = $"name longer than {DnsName.MaxWireBytes} bytes";
                return false;
            }
            if (p + 1 + len > packet.Length)
            {
                error = "label runs past the end";
                return false;
            }
            (labels ??= []).Add(Encoding.UTF8.GetString(packet.Slice(p + 1, len)));
            p += 1 + len;
        }
        if (labels is not null) name = DnsName.FromCheckedLabels(labels.ToArray());
        error = null;
        return true;
    }
}
