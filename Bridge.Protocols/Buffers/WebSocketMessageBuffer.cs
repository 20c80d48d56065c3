using System.Buffers;
using System.Net.WebSockets;

namespace Bridge.Protocols.Buffers;

/// <summary>Assembles one whole WebSocket message at a time in a pooled buffer that grows up to a
/// limit. A message over the limit is read to its end and dropped, so the connection stays usable
/// and memory stays bounded whatever a peer sends.</summary>
public sealed class WebSocketMessageBuffer(int maxBytes, int initialSize = 4096) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(initialSize, maxBytes + 1));

    public int MaxBytes { get; } = maxBytes;
    public int Length { get; private set; }
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(0, Length);
    /// <summary>The buffer itself, for callers that write a header in front of a message they forward.</summary>
    public byte[] Array => _buffer;

    /// <summary>Reads the next message; <c>TooBig</c> when it was over <see cref="MaxBytes"/> (then <see cref="Length"/> is 0).</summary>
    public async ValueTask<(WebSocketMessageType Type, bool TooBig)> ReadAsync(WebSocket socket, CancellationToken ct)
    {
        var length = 0;
        var tooBig = false;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length > MaxBytes)
                {
                    tooBig = true;
                    length = 0;
                }
                else
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                    _buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = bigger;
                }
            }
            result = await socket.ReceiveAsync(_buffer.AsMemory(length), ct).ConfigureAwait(false);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
        tooBig |= length > MaxBytes;
        Length = tooBig ? 0 : length;
        return (result.MessageType, tooBig);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
