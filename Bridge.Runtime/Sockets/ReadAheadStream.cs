namespace Bridge.Runtime.Sockets;

/// <summary>A connection stream whose reads are served from one buffer, filled by one read of the
/// inner stream at a time; writes go straight through, unbuffered.</summary>
/// <remarks>MQTTnet reads a packet as its fixed header (2 bytes), then its body, each a read of
/// the socket: two or three system calls a packet. Behind this stream a burst of packets costs one
/// call, which on a busy link is most of the client's work per message. Writes are left alone
/// because MQTTnet does not flush: a buffered write would hold a packet back. Reads come from one
/// reader at a time (MQTTnet's receive loop); a write may run beside a read.</remarks>
public sealed class ReadAheadStream : Stream
{
    public const int DefaultBufferSize = 8 * 1024;

    private readonly Stream _inner;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public ReadAheadStream(Stream inner, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _inner = inner;
        _buffer = new byte[bufferSize];
    }

    public override bool CanRead => true;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            // A read as large as the buffer gains nothing from a copy.
            if (destination.Length >= _buffer.Length) return await _inner.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            var read = await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0) return 0;
            _start = 0;
            _end = read;
        }
        return TakeBuffered(destination.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            if (destination.Length >= _buffer.Length) return _inner.Read(destination);
            var read = _inner.Read(_buffer);
            if (read == 0) return 0;
            _start = 0;
            _end = read;
        }
        return TakeBuffered(destination);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int TakeBuffered(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(source, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> source) => _inner.Write(source);
    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);
    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _inner.DisposeAsync();
    }
}
