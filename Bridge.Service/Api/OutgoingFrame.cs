using System.Buffers;
using Bridge.Protocols.Buffers;

namespace Bridge.Service.Api;

/// <summary>One frame waiting to be sent. Pooled frames go back to the pool once sent.</summary>
public readonly record struct OutgoingFrame(byte[] Buffer, int Length, bool Pooled)
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public static OutgoingFrame From(PooledBufferWriter writer)
    {
        var buffer = writer.Detach(out var length);
        return new OutgoingFrame(buffer, length, Pooled: true);
    }

    public void Release()
    {
        if (Pooled) ArrayPool<byte>.Shared.Return(Buffer);
    }
}
