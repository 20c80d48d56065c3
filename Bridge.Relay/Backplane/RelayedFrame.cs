using System.Buffers;

namespace Bridge.Relay.Backplane;

/// <summary>A frame waiting in a send queue: a pooled copy (back to the pool once sent) or an array
/// of its own, and when the relay finished reading it (0 for the relay's own messages), so the send
/// loop can record how long the frame stayed in the relay.</summary>
public readonly struct RelayedFrame
{
    private readonly byte[] _bytes;
    private readonly int _length;
    private readonly bool _pooled;

    private RelayedFrame(byte[] bytes, int length, bool pooled, long receivedAt)
    {
        _bytes = bytes;
        _length = length;
        _pooled = pooled;
        ReceivedAt = receivedAt;
    }

    public long ReceivedAt { get; }
    public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, _length);

    /// <summary>A pooled copy of <paramref name="bytes"/>: the reader's buffer is reused for the next frame.</summary>
    public static RelayedFrame Copy(ReadOnlySpan<byte> bytes, long receivedAt)
    {
        var copy = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(copy);
        return new RelayedFrame(copy, bytes.Length, pooled: true, receivedAt);
    }

    public static RelayedFrame Of(byte[] bytes) => new(bytes, bytes.Length, pooled: false, 0);

    /// <summary>Once, after sending or when the frame is dropped unsent (its queue closed with it inside,
    /// or it never got into one). The socket copies what it sends, so this is safe once SendAsync returns or throws.</summary>
    public void Release()
    {
        if (_pooled) ArrayPool<byte>.Shared.Return(_bytes);
    }
}
