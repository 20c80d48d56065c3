using System.Buffers.Binary;
using System.Text;

namespace Bridge.Protocols.Dns;

/// <summary>Encodes DNS messages, compressing owner names and the names inside PTR, SRV and NSEC
/// data (RFC 6762 §18.14); never names inside other data.</summary>
public sealed class DnsWriter
{
    private readonly Dictionary<string, int> _suffixes = new(StringComparer.Ordinal);
    private readonly bool _compressSrvTarget;
    private byte[] _buffer = new byte[512];
    private int _pos;

    private readonly bool _noCompression;

    private DnsWriter(bool compressSrvTarget, bool noCompression = false)
    {
        _compressSrvTarget = compressSrvTarget;
        _noCompression = noCompression;
    }

    /// <summary>A record's RDATA alone, names uncompressed: the canonical form that RFC 6762 §8.2
    /// compares byte by byte to break a tie between simultaneous probes.</summary>
    public static byte[] CanonicalData(DnsRecord record)
    {
        var w = new DnsWriter(compressSrvTarget: false, noCompression: true);
        w.Data(record.Data);
        return w._buffer.AsSpan(0, w._pos).ToArray();
    }

    /// <param name="compressSrvTarget">false for legacy unicast replies: RFC 6762 §6.7 says old
    /// resolvers may not understand a compressed SRV target.</param>
    public static byte[] Write(DnsMessage message, bool compressSrvTarget = true)
    {
        var w = new DnsWriter(compressSrvTarget);
        w.U16(message.Id);
        w.U16(message.Flags);
        w.U16(Count(message.Questions.Count));
        w.U16(Count(message.Answers.Count));
        w.U16(Count(message.Authorities.Count));
        w.U16(Count(message.Additionals.Count));
        foreach (var q in message.Questions)
        {
            w.Name(q.Name, compress: true);
            w.U16((ushort)q.Type);
            w.U16((ushort)(q.Class | (q.UnicastResponse ? DnsConstants.UnicastResponseBit : 0)));
        }
        foreach (var r in message.Answers) w.Record(r);
        foreach (var r in message.Authorities) w.Record(r);
        foreach (var r in message.Additionals) w.Record(r);
        return w._buffer.AsSpan(0, w._pos).ToArray();
    }

    private static ushort Count(int n) => n <= ushort.MaxValue ? (ushort)n : throw new ArgumentException("too many entries in a section");

    private void Record(DnsRecord r)
    {
        Name(r.Name, compress: true);
        U16((ushort)r.Type);
        U16((ushort)(r.Class | (r.CacheFlush ? DnsConstants.CacheFlushBit : 0)));
        U32(r.Ttl);
        var lengthAt = _pos;
        U16(0);
        Data(r.Data);
        var length = _pos - lengthAt - 2;
        if (length > ushort.MaxValue) throw new ArgumentException("record data over 65535 bytes");
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(lengthAt), (ushort)length);
    }

    private void Data(DnsRecordData data)
    {
        switch (data)
        {
            case PtrData ptr:
                Name(ptr.Target, compress: true);
                break;
            case SrvData srv:
                U16(srv.Priority);
                U16(srv.Weight);
                U16(srv.Port);
                Name(srv.Target, _compressSrvTarget);
                break;
            case AddressData a:
                Ensure(16);
                a.Address.TryWriteBytes(_buffer.AsSpan(_pos), out var written);
                _pos += written;
                break;
            case TxtData txt:
                foreach (var s in txt.Strings)
                {
                    if (s.Length > 255) throw new ArgumentException("TXT string over 255 bytes");
                    Byte((byte)s.Length);
                    Bytes(s);
                }
                break;
            case NsecData nsec:
                Name(nsec.Next, compress: true);
                Bytes(nsec.TypeBitmaps);
                break;
            case RawData raw:
                Bytes(raw.Bytes);
                break;
        }
    }

    private void Name(DnsName name, bool compress)
    {
        var labels = name.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var key = SuffixKey(labels, i);
            if (compress && !_noCompression && _suffixes.TryGetValue(key, out var offset))
            {
                U16((ushort)(0xC000 | offset));
                return;
            }
            // Pointers have 14 bits; names further in are written out in full.
            if (_pos < 0x3FFF) _suffixes.TryAdd(key, _pos);
            var bytes = Encoding.UTF8.GetBytes(labels[i]);
            Byte((byte)bytes.Length);
            Bytes(bytes);
        }
        Byte(0);
    }

    private static string SuffixKey(IReadOnlyList<string> labels, int from)
    {
        var sb = new StringBuilder();
        for (var i = from; i < labels.Count; i++) sb.Append(labels[i].Length).Append(':').Append(labels[i].ToLowerInvariant());
        return sb.ToString();
    }

    private void Ensure(int more)
    {
        if (_pos + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _pos + more));
    }

    private void Byte(byte b)
    {
        Ensure(1);
        _buffer[_pos++] = b;
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
    }

    private void U16(ushort v)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_pos), v);
        _pos += 2;
    }

    private void U32(uint v)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_pos), v);
        _pos += 4;
    }
}
