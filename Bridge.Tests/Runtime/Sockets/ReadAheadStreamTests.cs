using Bridge.Runtime.Sockets;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Runtime.Sockets;

/// <summary>The read-ahead stream under MQTT connections: the same bytes in the same order whatever
/// the reads, one inner read for a burst, writes untouched.</summary>
public sealed class ReadAheadStreamTests
{
    [Fact]
    public void Any_inner_chunking_and_any_read_sizes_give_back_the_same_bytes()
    {
        // Reads smaller and larger than the buffer, over data several buffers long, so the buffer
        // is filled, drained and filled again many times in one case.
        var gen =
            from bufferSize in Gen.Choose(1, 64)
            from length in Gen.Choose(0, 2000)
            from seed in ArbMap.Default.GeneratorFor<int>()
            from chunks in Gen.ArrayOf(Gen.Choose(1, 3 * bufferSize))
            from reads in Gen.NonEmptyListOf(Gen.Choose(1, 2 * bufferSize))
            from useAsync in ArbMap.Default.GeneratorFor<bool>()
            let data = Bytes(length, seed)
            select (data, chunks, reads.ToArray(), bufferSize, useAsync);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var (data, chunks, reads, bufferSize, useAsync) = c;
            using var stream = new ReadAheadStream(new ChunkedStream(data, chunks), bufferSize);
            var got = ReadAll(stream, reads, useAsync);
            return got.SequenceEqual(data);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task A_burst_of_small_packets_costs_one_inner_read()
    {
        // 100 MQTT-like packets (2-byte header, 30-byte body) arriving at once, read as MQTTnet does.
        var burst = Enumerable.Range(0, 100).SelectMany(i => new byte[] { 0x30, 30 }.Concat(Enumerable.Repeat((byte)i, 30))).ToArray();
        var inner = new ChunkedStream(burst, [burst.Length]);
        await using var stream = new ReadAheadStream(inner);
        var header = new byte[2];
        var body = new byte[30];
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(2, await stream.ReadAsync(header));
            Assert.Equal(30, header[1]);
            Assert.Equal(30, await stream.ReadAsync(body));
            Assert.All(body, b => Assert.Equal((byte)i, b));
        }
        Assert.Equal(1, inner.Reads);
        Assert.Equal(0, await stream.ReadAsync(header));
    }

    [Fact]
    public async Task A_read_as_large_as_the_buffer_goes_straight_to_the_inner_stream()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var inner = new ChunkedStream(data, [1000]);
        await using var stream = new ReadAheadStream(inner, bufferSize: 100);
        var into = new byte[1000];
        Assert.Equal(1000, await stream.ReadAsync(into));
        Assert.Equal(data, into);
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task Writes_reach_the_inner_stream_at_once_without_a_flush()
    {
        var inner = new ChunkedStream([], []);
        await using var stream = new ReadAheadStream(inner);
        await stream.WriteAsync(new byte[] { 1, 2, 3 });
        stream.Write([4]);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, inner.Written.ToArray());
    }

    [Fact]
    public void Disposing_it_disposes_the_connection()
    {
        var inner = new ChunkedStream([], []);
        new ReadAheadStream(inner).Dispose();
        Assert.True(inner.Disposed);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] ReadAll(Stream stream, int[] reads, bool useAsync)
    {
        var output = new List<byte>();
        for (var i = 0; ; i++)
        {
            var into = new byte[reads[i % reads.Length]];
            var n = useAsync ? stream.ReadAsync(into).AsTask().GetAwaiter().GetResult() : stream.Read(into);
            if (n == 0) return output.ToArray();
            output.AddRange(into.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>An inner stream that hands out its data in the given chunk sizes (then the rest at once),
    /// as a socket returns what has arrived; counts its reads and keeps what is written.</summary>
    private sealed class ChunkedStream(byte[] data, int[] chunks) : Stream
    {
        private int _position;
        public int Reads { get; private set; }
        public MemoryStream Written { get; } = new();
        public bool Disposed { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var chunk = Reads - 1 < chunks.Length ? chunks[Reads - 1] : int.MaxValue;
            var n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override void Write(ReadOnlySpan<byte> buffer) => Written.Write(buffer);
        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        protected override void Dispose(bool disposing) => Disposed = true;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
