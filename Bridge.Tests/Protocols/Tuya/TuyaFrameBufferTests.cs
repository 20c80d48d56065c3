using System.Buffers;
using System.Text;
using Bridge.Protocols.Tuya;

namespace Bridge.Tests.Protocols.Tuya;

/// <summary>Cutting a connection's bytes into Tuya messages, however the bytes arrive: a frame
/// split across reads, two frames in one read, a bad frame reported between good ones.</summary>
public sealed class TuyaFrameBufferTests
{
    private static readonly TuyaCodec Codec = new(TuyaVersion.V33, Encoding.ASCII.GetBytes("0123456789abcdef"));

    private static byte[] Frame(uint sequence, string json)
    {
        var output = new ArrayBufferWriter<byte>();
        Codec.Write(output, sequence, TuyaCommand.Status, Encoding.UTF8.GetBytes(json), fromDevice: true);
        return output.WrittenSpan.ToArray();
    }

    private static void Receive(TuyaFrameBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.FreeSpace().Span);
        buffer.Advance(bytes.Length);
    }

    private static readonly Func<TuyaDecodeStatus, uint, uint, string, bool> NoBadFrames =
        (status, _, _, error) => throw new Xunit.Sdk.XunitException($"unexpected bad frame: {status} {error}");

    [Fact]
    public void A_frame_split_across_reads_comes_out_whole_once_its_last_byte_arrives()
    {
        var frame = Frame(7, "{\"dps\":{\"1\":true}}");
        var buffer = new TuyaFrameBuffer();

        Receive(buffer, frame.AsSpan(0, 10));
        var early = buffer.Next(Codec, fromDevice: true, NoBadFrames, out var stoppedEarly);
        Receive(buffer, frame.AsSpan(10));
        var whole = buffer.Next(Codec, fromDevice: true, NoBadFrames, out _);

        Assert.Null(early);
        Assert.False(stoppedEarly);
        Assert.Equal(7u, whole?.Sequence);
        Assert.Equal("{\"dps\":{\"1\":true}}", Encoding.UTF8.GetString(whole!.Value.Payload));
        Assert.Equal(0, buffer.Buffered);
    }

    [Fact]
    public void Two_frames_in_one_read_come_out_one_at_a_time()
    {
        var buffer = new TuyaFrameBuffer();
        Receive(buffer, [.. Frame(1, "{\"dps\":{}}"), .. Frame(2, "{\"dps\":{}}")]);

        var first = buffer.Next(Codec, fromDevice: true, NoBadFrames, out _);
        var second = buffer.Next(Codec, fromDevice: true, NoBadFrames, out _);
        var none = buffer.Next(Codec, fromDevice: true, NoBadFrames, out var stopped);

        Assert.Equal([1u, 2u], [first!.Value.Sequence, second!.Value.Sequence]);
        Assert.Null(none);
        Assert.False(stopped);
    }

    [Fact]
    public void A_bad_frame_is_reported_with_its_sequence_and_the_next_good_one_follows()
    {
        var bad = Frame(3, "{\"dps\":{}}");
        bad[^5] ^= 0xff; // the CRC's last byte
        var buffer = new TuyaFrameBuffer();
        Receive(buffer, [.. bad, .. Frame(4, "{\"dps\":{}}")]);
        var reported = new List<(TuyaDecodeStatus, uint)>();

        var next = buffer.Next(Codec, fromDevice: true, (status, sequence, _, _) => { reported.Add((status, sequence)); return true; }, out var stopped);

        Assert.Equal([(TuyaDecodeStatus.Invalid, 3u)], reported);
        Assert.Equal(4u, next?.Sequence);
        Assert.False(stopped);
    }

    [Fact]
    public void A_bad_frame_the_caller_will_not_read_past_stops_the_buffer()
    {
        var bad = Frame(5, "{\"dps\":{}}");
        bad[^5] ^= 0xff;
        var buffer = new TuyaFrameBuffer();
        Receive(buffer, [.. bad, .. Frame(6, "{\"dps\":{}}")]);

        var next = buffer.Next(Codec, fromDevice: true, (_, _, _, _) => false, out var stopped);

        Assert.Null(next);
        Assert.True(stopped);
    }

    [Fact]
    public void A_frame_larger_than_the_first_buffer_grows_it_and_comes_out_whole()
    {
        var json = "{\"dps\":{\"1\":\"" + new string('x', 10_000) + "\"}}";
        var frame = Frame(8, json);
        var buffer = new TuyaFrameBuffer();
        TuyaMessage? message = null;

        for (var at = 0; at < frame.Length && message is null;)
        {
            var space = buffer.FreeSpace();
            var n = Math.Min(space.Length, frame.Length - at);
            frame.AsSpan(at, n).CopyTo(space.Span);
            buffer.Advance(n);
            at += n;
            message = buffer.Next(Codec, fromDevice: true, NoBadFrames, out _);
        }

        Assert.Equal(json, Encoding.UTF8.GetString(message!.Value.Payload));
    }
}
