namespace Bridge.Protocols.Improv;

/// <summary>Finds Improv packets in what a serial port delivers, whatever else shares the line:
/// ESPHome and WLED print their logs on the same port (PROTOCOLS.md, other firmwares' quirks), and
/// a packet can arrive cut off. Bytes that are not part of a good packet are skipped and counted;
/// after a bad checksum it looks for the next <c>IMPROV</c> one byte further on, so a cut packet
/// never hides the one after it. Holds at most <see cref="MaxBuffered"/> bytes; never throws on
/// any input. Not thread-safe: one reader feeds it.</summary>
public sealed class ImprovStreamDecoder
{
    /// <summary>Enough for a cut packet followed by a whole one, with room to spare.</summary>
    public const int MaxBuffered = 4 * ImprovLimits.MaxPacket;

    private readonly byte[] _buffer = new byte[MaxBuffered];
    private int _count;

    /// <summary>Bytes that were not part of a good packet (nor the newline after one): log text, noise, cut packets.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Places that started like a packet but were not one (wrong version or checksum).</summary>
    public long BadPackets { get; private set; }

    /// <summary>Takes bytes from the port and adds every whole packet they complete to <paramref name="packets"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, List<ImprovPacket> packets)
    {
        while (!bytes.IsEmpty)
        {
            if (_count == _buffer.Length) Skip(ImprovLimits.MaxPacket); // only a pathological run of near-packets gets here
            var n = Math.Min(bytes.Length, _buffer.Length - _count);
            bytes[..n].CopyTo(_buffer.AsSpan(_count));
            _count += n;
            bytes = bytes[n..];
            Decode(packets);
        }
    }

    private void Decode(List<ImprovPacket> packets)
    {
        while (true)
        {
            var start = FindMagic(0, _count);
            if (start < 0)
            {
                Skip(_count);
                return;
            }
            Skip(start);
            var status = ImprovFrame.TryDecodeAt(_buffer.AsSpan(0, _count), out var packet, out var length);
            if (status == ImprovDecodeStatus.Incomplete)
            {
                // A cut packet's length byte may promise more than ever comes: a whole packet
                // after it must not wait behind it.
                if (LaterPacketInside(_count) == ImprovDecodeStatus.Packet) continue;
                return;
            }
            if (status == ImprovDecodeStatus.Invalid)
            {
                BadPackets++;
                Skip(1);
                continue;
            }
            // A cut packet can swallow the start of the next one and pass its checksum by chance
            // (one in 256). Whenever a packet's span holds the start of another that is whole, the
            // later one wins; one not yet whole is waited for, so the outcome never depends on how
            // the bytes were split into reads.
            var verdict = LaterPacketInside(length);
            if (verdict == ImprovDecodeStatus.Incomplete) return;
            if (verdict == ImprovDecodeStatus.Packet) continue;
            packets.Add(packet!);
            // The newline after a packet is part of the framing, not text to count.
            if (_count > length && _buffer[length] == ImprovLimits.Newline) length++;
            _buffer.AsSpan(length, _count - length).CopyTo(_buffer);
            _count -= length;
        }
    }

    /// <summary>Packet: a later packet starts inside the first <paramref name="length"/> bytes and
    /// everything before it was dropped; Incomplete: one may, wait; Invalid: none does.</summary>
    private ImprovDecodeStatus LaterPacketInside(int length)
    {
        var verdict = ImprovDecodeStatus.Invalid;
        for (var j = FindMagic(1, length); j >= 0; j = FindMagic(j + 1, length))
        {
            var status = ImprovFrame.TryDecodeAt(_buffer.AsSpan(j, _count - j), out _, out _);
            if (status == ImprovDecodeStatus.Incomplete) verdict = status;
            if (status == ImprovDecodeStatus.Packet)
            {
                BadPackets++;
                Skip(j);
                return status;
            }
        }
        return verdict;
    }

    /// <summary>The first index in [from, before) where the buffer holds <c>IMPROV</c>, or the
    /// start of it cut off by the end of the buffer; -1 if none.</summary>
    private int FindMagic(int from, int before)
    {
        var magic = ImprovLimits.Magic;
        for (var i = from; i < before; i++)
        {
            var at = _buffer.AsSpan(i, before - i).IndexOf(magic[0]);
            if (at < 0) return -1;
            i += at;
            var available = Math.Min(magic.Length, _count - i);
            if (_buffer.AsSpan(i, available).SequenceEqual(magic[..available])) return i;
        }
        return -1;
    }

    private void Skip(int n)
    {
        if (n <= 0) return;
        SkippedBytes += n;
        _buffer.AsSpan(n, _count - n).CopyTo(_buffer);
        _count -= n;
    }
}
