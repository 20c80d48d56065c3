using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;

namespace Bridge.Simulator.Mqtt;

/// <summary>A pooled output buffer with a <see cref="Utf8JsonWriter"/> bound to it, so the per-message
/// path writes payloads without allocating. Rent, write, publish, then dispose to return it.</summary>
internal sealed class JsonBuffer : IDisposable
{
    private const int MaxPooled = 256;
    private const int MaxKeptCapacity = 64 * 1024;
    private static readonly ConcurrentQueue<JsonBuffer> Pool = new();
    private static readonly JsonWriterOptions Options = new() { SkipValidation = false };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    private JsonBuffer() => Writer = new Utf8JsonWriter(_buffer, Options);

    public Utf8JsonWriter Writer { get; }

    public IBufferWriter<byte> Output => _buffer;

    /// <summary>What has been written so far (flushes the writer first).</summary>
    public ReadOnlyMemory<byte> Written
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenMemory;
        }
    }

    public static JsonBuffer Rent()
    {
        if (!Pool.TryDequeue(out var b)) b = new JsonBuffer();
        b._buffer.ResetWrittenCount();
        b.Writer.Reset(b._buffer);
        return b;
    }

    /// <summary>Starts over in the same buffer (for a second payload from one rental).</summary>
    public void Restart()
    {
        _buffer.ResetWrittenCount();
        Writer.Reset(_buffer);
    }

    public void Dispose()
    {
        if (_buffer.Capacity <= MaxKeptCapacity && Pool.Count < MaxPooled) Pool.Enqueue(this);
    }
}
