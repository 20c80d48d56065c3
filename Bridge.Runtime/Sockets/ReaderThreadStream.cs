namespace Bridge.Runtime.Sockets;

/// <summary>A connection stream whose reads, from the second on, run on a thread of its own with
/// blocking reads of the socket; writes go straight through.</summary>
/// <remarks>
/// An asynchronous socket read costs, per burst of packets, a wake-up of the socket engine's epoll
/// thread, a read that fails with EAGAIN and a hop to a thread-pool thread. On the bridge's broker
/// link that was 13 % of its CPU per command at 10 × 100 (docs/benchmarks.md, "Issue #9"). Here the
/// first read that is not already on the reader thread hands itself to that thread and completes
/// there with its continuation run inline, so the caller's receive loop (MQTTnet's) moves onto the
/// reader thread; its next reads come from that thread and block there, with no hop at all. Should
/// the loop leave the thread (it awaited something else), its next read hands over again.
/// <para>The thread is its own, not the pool's: a pool thread blocked for a connection's life is
/// one the pool counts as busy and replaces only slowly, which starved a test process running
/// several bridges at once.</para>
/// <para>The first read (the broker's CONNACK) stays asynchronous and cancellable, so a peer that
/// accepts the connection and never answers is still given up on at the connect timeout. A later
/// read is ended by disposing the stream, not by its cancellation token: the one reader (the
/// receive loop) is cancelled together with the disposal of its connection. For one long-lived
/// connection, never for many: each keeps a thread.</para>
/// </remarks>
public sealed class ReaderThreadStream : Stream
{
    private readonly Stream _inner;
    private readonly string _threadName;
    private readonly SemaphoreSlim _handOver = new(0);
    private Thread? _thread;
    private Memory<byte> _handedBuffer;
    private TaskCompletionSource<int>? _handedResult;
    private bool _answered;
    private volatile bool _disposed;

    public ReaderThreadStream(Stream inner, string threadName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrWhiteSpace(threadName);
        _inner = inner;
        _threadName = threadName;
    }

    public override bool CanRead => true;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The thread that reads, once the first hand-over has started it.</summary>
    public Thread? ReaderThread => _thread;

    /// <summary>Whether the caller runs on this stream's reader thread (where reads block).</summary>
    public bool OnReaderThread => _thread is { } t && Environment.CurrentManagedThreadId == t.ManagedThreadId;

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.IsEmpty) return ValueTask.FromResult(0);
        if (!_answered) return FirstReadAsync(destination, cancellationToken);
        if (OnReaderThread) return ValueTask.FromResult(_inner.Read(destination.Span));
        return new ValueTask<int>(HandOver(destination));
    }

    private async ValueTask<int> FirstReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        _answered = read > 0;
        return read;
    }

    /// <summary>Gives the read to the reader thread (started on first need). Its result is set
    /// there with synchronous continuations, which is what moves the awaiting loop onto it.</summary>
    private Task<int> HandOver(Memory<byte> destination)
    {
        var result = new TaskCompletionSource<int>(TaskCreationOptions.None);
        _handedBuffer = destination;
        _handedResult = result;
        if (_thread is null)
        {
            _thread = new Thread(ReadOnHandOver) { IsBackground = true, Name = _threadName };
            _thread.Start();
        }
        _handOver.Release();
        return result.Task;
    }

    private void ReadOnHandOver()
    {
        while (true)
        {
            _handOver.Wait();
            if (_disposed)
            {
                _handedResult?.TrySetException(new ObjectDisposedException(nameof(ReaderThreadStream)));
                return;
            }
            var buffer = _handedBuffer;
            var result = _handedResult!;
            _handedBuffer = default;
            _handedResult = null;
            int read;
            try { read = _inner.Read(buffer.Span); }
            catch (Exception e)
            {
                result.TrySetException(e);
                continue;
            }
            // Runs the reader's continuation here, until it next awaits something not yet done.
            result.TrySetResult(read);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> destination) => _inner.Read(destination);
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

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
        if (disposing && !_disposed)
        {
            _disposed = true;
            // Ends a read blocked in the socket (the inner stream owns it), then lets the thread end.
            _inner.Dispose();
            _handOver.Release();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
