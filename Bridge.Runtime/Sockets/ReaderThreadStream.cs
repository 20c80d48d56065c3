namespace Bridge.Runtime.Sockets;

/// <summary>A connection stream whose reads run on a thread of its own, blocking there; writes
/// are synchronous too, on the caller's thread.</summary>
/// <remarks>
/// An asynchronous socket read costs, per burst of packets, a wake-up of the socket engine's epoll
/// thread, a read that fails with EAGAIN and a hop to a thread-pool thread. On the bridge's broker
/// link that was 13 % of its CPU per command at 10 × 100 (docs/benchmarks.md, "Issue #9"). Here a
/// read that is not already on the reader thread hands itself to that thread and completes there
/// with its continuation run inline, so the caller's receive loop (MQTTnet's) moves onto the reader
/// thread; its next reads come from that thread and block there, with no hop at all. Should the
/// loop leave the thread (it awaited something else), its next read hands over again.
/// <para>Over a socket from <see cref="TcpConnector.ConnectBlockingAsync"/>, which the socket
/// engine never sees, a blocked read is woken by the kernel directly. Over a socket the engine
/// serves, .NET emulates the blocking read by waiting for the engine's epoll thread, which then
/// wakes the reader: correct, one wake-up more per burst. So that the engine never sees the socket,
/// writes are synchronous as well: on a connection to a broker that reads, a send returns as soon as
/// the kernel has the bytes; one that stops reading fails it at the socket's send timeout.</para>
/// <para>The thread is its own, not the pool's: a pool thread blocked for a connection's life is
/// one the pool counts as busy and replaces only slowly, which starved a test process running
/// several bridges at once.</para>
/// <para>Cancelling a waiting read closes the stream (a blocked read cannot be cancelled otherwise):
/// the first read, the broker's CONNACK, is cancelled at the connect timeout, when the connection
/// is abandoned anyway. Reads on the reader thread do not look at their token: the one reader (the
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
    private CancellationToken _handedToken;
    private CancellationTokenRegistration _handedCancellation;
    private bool _handedOverBefore;
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
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        if (OnReaderThread) return ValueTask.FromResult(_inner.Read(destination.Span));
        return new ValueTask<int>(HandOver(destination, cancellationToken));
    }

    /// <summary>Gives the read to the reader thread (started on first need). Its result is set
    /// there with synchronous continuations, which is what moves the awaiting loop onto it - except
    /// the first: that is the broker's CONNACK, awaited by the connect, whose caller (the link's
    /// set-up) should not run on the reader thread.</summary>
    private Task<int> HandOver(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<int>(_handedOverBefore ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        _handedOverBefore = true;
        _handedBuffer = destination;
        _handedResult = result;
        _handedToken = cancellationToken;
        _handedCancellation = cancellationToken.UnsafeRegister(static s => ((ReaderThreadStream)s!).Dispose(), this);
        if (_thread is null)
        {
            _thread = new Thread(ReadOnHandOver) { IsBackground = true, Name = _threadName };
            _thread.Start();
        }
        _handOver.Release();
        // Disposed while handing over (the token may have been cancelled already, which disposes):
        // the thread may have ended before it saw this read.
        if (_disposed)
        {
            if (cancellationToken.IsCancellationRequested) result.TrySetCanceled(cancellationToken);
            else result.TrySetException(new ObjectDisposedException(nameof(ReaderThreadStream)));
        }
        return result.Task;
    }

    private void ReadOnHandOver()
    {
        while (true)
        {
            _handOver.Wait();
            var result = _handedResult;
            if (_disposed)
            {
                _handedCancellation.Dispose();
                if (_handedToken.IsCancellationRequested) result?.TrySetCanceled(_handedToken);
                else result?.TrySetException(new ObjectDisposedException(nameof(ReaderThreadStream)));
                return;
            }
            var buffer = _handedBuffer;
            var token = _handedToken;
            _handedBuffer = default;
            _handedResult = null;
            int read = 0;
            Exception? failure = null;
            try { read = _inner.Read(buffer.Span); }
            catch (Exception e) { failure = e; }
            // Waits for a cancellation callback under way: after it, a cancelled read's stream is closed.
            _handedCancellation.Dispose();
            // Closing the socket under a blocked read ends it either way: with an error, or as if the
            // peer had closed (0 bytes). A cancelled read is cancelled in both cases.
            if (token.IsCancellationRequested && (failure is not null || _disposed)) result!.TrySetCanceled(token);
            else if (failure is not null) result!.TrySetException(failure);
            // Runs the reader's continuation here, until it next awaits something not yet done.
            else result!.TrySetResult(read);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> destination) => _inner.Read(destination);
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        try
        {
            _inner.Write(source.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> source) => _inner.Write(source);
    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);
    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        _inner.Flush();
        return Task.CompletedTask;
    }
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
