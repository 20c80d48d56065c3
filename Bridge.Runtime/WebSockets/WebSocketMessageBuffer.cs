using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Bridge.Runtime.WebSockets;

/// <summary>Assembles one whole WebSocket message at a time in a pooled buffer that grows up to a
/// limit. A message over the limit is read to its end and dropped, so the connection stays usable
/// and memory stays bounded whatever a peer sends. With <c>reservedPrefix</c> the message lands that
/// many bytes into the buffer, so a forwarder can write its own header in front without a copy.</summary>
public sealed class WebSocketMessageBuffer : IDisposable
{
    private readonly int _prefix;
    private byte[] _buffer;

    public WebSocketMessageBuffer(int maxBytes, int initialSize = 4096, int reservedPrefix = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(reservedPrefix);
        MaxBytes = maxBytes;
        _prefix = reservedPrefix;
        _buffer = ArrayPool<byte>.Shared.Rent(reservedPrefix + Math.Min(Math.Max(initialSize, 1), maxBytes + 1));
    }

    public int MaxBytes { get; }
    /// <summary>Length of the last message (without the reserved prefix).</summary>
    public int Length { get; private set; }
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(_prefix, Length);
    /// <summary>The reserved prefix, for the caller's header.</summary>
    public Span<byte> Prefix => _buffer.AsSpan(0, _prefix);
    /// <summary>The prefix followed by the last message.</summary>
    public ReadOnlyMemory<byte> PrefixAndMessage => _buffer.AsMemory(0, _prefix + Length);

    /// <summary>Reads the next message; <c>TooBig</c> when it was over <see cref="MaxBytes"/> (then <see cref="Length"/> is 0).</summary>
    public async ValueTask<(WebSocketMessageType Type, bool TooBig)> ReadAsync(WebSocket socket, CancellationToken ct)
    {
        var length = _prefix;
        var tooBig = false;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length - _prefix > MaxBytes)
                {
                    tooBig = true;
                    length = _prefix;
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
        tooBig |= length - _prefix > MaxBytes;
        Length = tooBig ? 0 : length - _prefix;
        return (result.MessageType, tooBig);
    }

    /// <summary>One text message of at most <paramref name="maxBytes"/> (a handshake step); null when
    /// the peer closed, sent binary or sent more.</summary>
    public static async Task<string?> ReadTextAsync(WebSocket socket, int maxBytes, CancellationToken ct)
    {
        using var message = new WebSocketMessageBuffer(maxBytes, maxBytes);
        var (type, tooBig) = await message.ReadAsync(socket, ct).ConfigureAwait(false);
        return type == WebSocketMessageType.Text && !tooBig ? Encoding.UTF8.GetString(message.Message.Span) : null;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
