using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Bridge.Runtime.Sockets;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Runtime.Sockets;

/// <summary>The broker link's reads on a thread of their own, over real loopback sockets in blocking
/// mode as the link opens them: the same bytes in order, the reading loop moved onto that thread,
/// the socket never handed to the runtime's socket engine, a waiting read cancellable, and a waiting
/// read ended by disposal.</summary>
public sealed class ReaderThreadStreamTests
{
    private const string ThreadName = "Test link reader";

    [Fact]
    public void Any_chunking_of_what_the_peer_sends_is_read_back_whole_and_in_order()
    {
        // The peer's writes land in the socket in their own chunks while the loop reads with its own
        // sizes, through the read-ahead buffer as the broker link does.
        var gen =
            from length in Gen.Choose(1, 20_000)
            from seed in ArbMap.Default.GeneratorFor<int>()
            from chunks in Gen.NonEmptyListOf(Gen.Choose(1, 3000))
            from reads in Gen.NonEmptyListOf(Gen.Choose(1, 5000))
            select (Bytes(length, seed), chunks.ToArray(), reads.ToArray());
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var (data, chunks, reads) = c;
            return ReadOverSocketAsync(data, chunks, reads).GetAwaiter().GetResult().SequenceEqual(data);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    [Fact]
    public async Task After_the_first_hand_over_the_reading_loop_runs_on_the_reader_thread_and_reads_without_waiting_for_a_wake_up()
    {
        var (stream, server, client) = await ConnectAsync();
        await using var _ = stream;
        using var __ = server;
        await server.SendAsync(new byte[] { 1 });
        // The first read (the broker's CONNACK) continues on the pool: the link's set-up that awaits
        // it is not to run on the reader thread.
        Assert.Equal(1, await stream.ReadAsync(new byte[1]));
        Assert.False(stream.OnReaderThread);

        // The second read waits (nothing sent yet), so its data arrives on the reader thread and
        // the awaiting loop continues there - as MQTTnet's does (ConfigureAwait(false) throughout).
        var loop = ReadTwiceAsync(stream, client);
        Assert.False(loop.IsCompleted, "the second read returned with nothing sent");
        await server.SendAsync(new byte[] { 2, 3 });
        var seen = await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((byte)2, seen.Second);
        Assert.True(seen.OnReaderThread, $"continued on {seen.ThreadName ?? "an unnamed thread"}");
        Assert.Equal(ThreadName, seen.ThreadName);
        Assert.False(seen.PoolThread);
        // On that thread a read with data waiting completes before it returns: no hop anywhere.
        Assert.True(seen.ThirdCompletedAtOnce, "a read on the reader thread went asynchronous");
        Assert.Equal((byte)3, seen.Third);
    }

    private static async Task<(byte Second, bool OnReaderThread, string? ThreadName, bool PoolThread, bool ThirdCompletedAtOnce, byte Third)>
        ReadTwiceAsync(ReaderThreadStream stream, Socket client)
    {
        var one = new byte[1];
        Assert.Equal(1, await stream.ReadAsync(one).ConfigureAwait(false));
        var second = one[0];
        var (onReader, name, pool) = (stream.OnReaderThread, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread);
        // The peer sent both bytes at once and the first read took one: the other is in the socket.
        Assert.True(SpinWait.SpinUntil(() => client.Available > 0, TimeSpan.FromSeconds(10)), "the third byte never arrived");
        var read = stream.ReadAsync(one);
        var atOnce = read.IsCompleted;
        Assert.Equal(1, await read.ConfigureAwait(false));
        return (second, onReader, name, pool, atOnce, one[0]);
    }

    [Fact]
    public async Task A_waiting_read_ends_when_its_token_is_cancelled_and_closes_the_connection()
    {
        // A peer that accepts and never answers (no CONNACK) is given up on at the connect timeout:
        // a read blocked in the socket ends only by closing it, which the peer sees.
        var (stream, server, _) = await ConnectAsync();
        await using var _ = stream;
        using var __ = server;
        using var cts = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[1], cts.Token).AsTask();
        Assert.False(read.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        var got = new byte[1];
        Assert.Equal(0, await server.ReceiveAsync(got).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Reads_and_writes_leave_the_socket_blocking_so_arriving_data_wakes_only_the_reader()
    {
        // One asynchronous operation would make the descriptor non-blocking and put it in the socket
        // engine's epoll set for good; the reader would then be woken through the engine's thread.
        var (stream, server, client) = await ConnectAsync();
        await using var _ = stream;
        using var __ = server;
        Assert.False(NonBlocking(client), "the connector left the socket non-blocking");
        await stream.WriteAsync(new byte[] { 7 });
        await server.SendAsync(new byte[] { 1 });
        Assert.Equal(1, await stream.ReadAsync(new byte[1]));
        var loop = stream.ReadAsync(new byte[1]).AsTask();
        await server.SendAsync(new byte[] { 2 });
        Assert.Equal(1, await loop.WaitAsync(TimeSpan.FromSeconds(10)));
        await stream.WriteAsync(new byte[] { 8 });
        var echoed = new byte[2];
        var have = 0;
        while (have < 2) have += await server.ReceiveAsync(echoed.AsMemory(have)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 7, 8 }, echoed);
        Assert.False(NonBlocking(client), "a read or write handed the socket to the socket engine");
    }

    private static bool NonBlocking(Socket socket)
    {
        const int F_GETFL = 3, O_NONBLOCK = 0x800; // Linux
        var flags = Fcntl((int)socket.SafeHandle.DangerousGetHandle(), F_GETFL);
        Assert.True(flags >= 0, "fcntl failed");
        return (flags & O_NONBLOCK) != 0;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command);

    [Fact]
    public async Task A_read_waiting_on_the_reader_thread_ends_when_the_stream_is_disposed()
    {
        // What ends the broker link's receive loop on a disconnect: MQTTnet disposes the channel.
        var (stream, server, _) = await ConnectAsync();
        using var _ = server;
        await server.SendAsync(new byte[] { 1 });
        Assert.Equal(1, await stream.ReadAsync(new byte[1]));

        var waiting = Task.Run(async () =>
        {
            try { return await stream.ReadAsync(new byte[1]); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { return -1; }
        });
        await WaitUntilAsync(() => stream.ReaderThread is not null);
        var thread = stream.ReaderThread!;
        Assert.False(waiting.IsCompleted, "the read returned with nothing to read");
        await stream.DisposeAsync();
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result <= 0, $"a read after dispose returned {result} bytes");
        // Joined from a pool thread: this test's own continuation may have run on the reader thread
        // (the read's result is set there with synchronous continuations), which cannot join itself.
        Assert.True(await Task.Run(() => thread.Join(TimeSpan.FromSeconds(10))), "the reader thread outlived its stream");
    }

    private static async Task<byte[]> ReadOverSocketAsync(byte[] data, int[] chunks, int[] reads)
    {
        var (link, server, _) = await ConnectAsync();
        using var _ = server;
        await using var stream = new ReadAheadStream(link, bufferSize: 4096);
        var sending = Task.Run(async () =>
        {
            var at = 0;
            for (var i = 0; at < data.Length; i++)
            {
                var n = Math.Min(chunks[i % chunks.Length], data.Length - at);
                await server.SendAsync(data.AsMemory(at, n));
                at += n;
            }
        });
        var got = new byte[data.Length];
        var have = 0;
        for (var i = 0; have < data.Length; i++)
        {
            var n = await stream.ReadAsync(got.AsMemory(have, Math.Min(reads[i % reads.Length], data.Length - have)));
            if (n == 0) break;
            have += n;
        }
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        return got[..have];
    }

    private static async Task<(ReaderThreadStream Stream, Socket Server, Socket Client)> ConnectAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        var socket = await TcpConnector.ConnectBlockingAsync(listener.LocalEndpoint, CancellationToken.None);
        var server = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        return (new ReaderThreadStream(new NetworkStream(socket, ownsSocket: true), ThreadName), server, socket);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(5, cts.Token);
        }
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
