namespace Bridge.Protocols.Tuya;

/// <summary>The bytes of one Tuya connection as they arrive, cut into whole messages with a
/// <see cref="TuyaCodec"/>; frames that fail their check are reported, not thrown. Pure: the
/// caller reads its transport into <see cref="FreeSpace"/> and says how much came with
/// <see cref="Advance"/> (Bridge.Runtime's TuyaFrameReader does that for a Stream).</summary>
public sealed class TuyaFrameBuffer
{
    private byte[] _buffer = new byte[4096];
    private int _count;

    /// <summary>Bytes received and not yet taken as (or dropped with) a frame.</summary>
    public int Buffered => _count;

    /// <summary>The next message in what has arrived, or null when more bytes are needed or
    /// <paramref name="onBad"/> said to stop (<paramref name="stopped"/> then true). <paramref name="onBad"/>
    /// hears about every frame that failed (status, its sequence and command, why) and says whether to go on.</summary>
    public TuyaMessage? Next(TuyaCodec codec, bool fromDevice, Func<TuyaDecodeStatus, uint, uint, string, bool> onBad, out bool stopped)
    {
        stopped = false;
        while (_count > 0)
        {
            TuyaFrameCodec.TryPeekHeader(_buffer.AsSpan(0, _count), out var sequence, out var command);
            var status = codec.TryRead(_buffer.AsSpan(0, _count), fromDevice, out var message, out var consumed, out var error);
            if (status == TuyaDecodeStatus.NeedMore) return null;
            Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _count - consumed);
            _count -= consumed;
            if (status == TuyaDecodeStatus.Frame) return message;
            if (!onBad(status, sequence, command, error))
            {
                stopped = true;
                return null;
            }
        }
        return null;
    }

    /// <summary>Room for the next read. A full buffer grows up to twice the largest frame; past that
    /// what it holds can never become a frame, so it is dropped rather than grown without end.</summary>
    public Memory<byte> FreeSpace()
    {
        if (_count == _buffer.Length)
        {
            if (_buffer.Length >= TuyaFrameCodec.MaxFrameBytes * 2) _count = 0;
            else Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        return _buffer.AsMemory(_count);
    }

    /// <summary>Counts <paramref name="read"/> bytes just written into <see cref="FreeSpace"/> as received.</summary>
    public void Advance(int read)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(read);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(read, _buffer.Length - _count);
        _count += read;
    }
}
