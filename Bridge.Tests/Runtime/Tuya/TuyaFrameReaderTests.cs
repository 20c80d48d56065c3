using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Bridge.Protocols.Tuya;
using Bridge.Runtime.Tuya;

namespace Bridge.Tests.Runtime.Tuya;

/// <summary>Reading Tuya messages off a stream: whatever size the reads come in, each message once,
/// then null when the stream ends or fails.</summary>
public sealed class TuyaFrameReaderTests
{
    private static readonly TuyaCodec Codec = new(TuyaVersion.V33, Encoding.ASCII.GetBytes("0123456789abcdef"));
    private static readonly Func<TuyaDecodeStatus, uint, uint, string, bool> NoBadFrames =
        (status, _, _, error) => throw new Xunit.Sdk.XunitException($"unexpected bad frame: {status} {error}");

    private static byte[] Frame(uint sequence)
    {
        var output = new ArrayBufferWriter<byte>();
        Codec.Write(output, sequence, TuyaCommand.Status, "{\"dps\":{\"1\":true}}"u8, fromDevice: true);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task Messages_written_a_few_bytes_at_a_time_are_read_whole_then_the_end_is_null()
    {
        var pipe = new Pipe();
        var reader = new TuyaFrameReader(pipe.Reader.AsStream());
        byte[] bytes = [.. Frame(1), .. Frame(2)];

        var writing = Task.Run(async () =>
        {
            for (var at = 0; at < bytes.Length; at += 5)
                await pipe.Writer.WriteAsync(bytes.AsMemory(at, Math.Min(5, bytes.Length - at)));
            await pipe.Writer.CompleteAsync();
        });
        var first = await reader.ReadAsync(Codec, fromDevice: true, NoBadFrames, CancellationToken.None);
        var second = await reader.ReadAsync(Codec, fromDevice: true, NoBadFrames, CancellationToken.None);
        var end = await reader.ReadAsync(Codec, fromDevice: true, NoBadFrames, CancellationToken.None);
        await writing;

        Assert.Equal(1u, first?.Sequence);
        Assert.Equal(2u, second?.Sequence);
        Assert.Null(end);
    }

    [Fact]
    public async Task A_stream_that_fails_ends_the_messages_instead_of_throwing()
    {
        var pipe = new Pipe();
        var reader = new TuyaFrameReader(pipe.Reader.AsStream());
        await pipe.Writer.CompleteAsync(new IOException("the connection was reset"));

        var message = await reader.ReadAsync(Codec, fromDevice: true, NoBadFrames, CancellationToken.None);

        Assert.Null(message);
    }
}
