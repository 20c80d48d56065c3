using System.Net.Sockets;

namespace Bridge.Protocols.Tuya;

/// <summary>Reads whole Tuya messages off a stream with a <see cref="TuyaCodec"/>; frames that fail
/// their check are reported, not thrown. The same for the bridge's connections and the simulated
/// devices; the stream is whatever transport the caller opened.</summary>
public sealed class TuyaFrameReader(Stream stream)
{
    private byte[] _buffer = new byte[4096];
    private int _count;

    /// <summary>The next message, or null at the end of the stream. <paramref name="onBad"/> hears
    /// about every frame that failed (status, its sequence and command, why) and says whether to go on.</summary>
    public async Task<TuyaMessage?> ReadAsync(TuyaCodec codec, bool fromDevice, Func<TuyaDecodeStatus, uint, uint, string, bool> onBad, CancellationToken ct)
    {
        while (true)
        {
            while (_count > 0)
            {
                TuyaFrameCodec.TryPeekHeader(_buffer.AsSpan(0, _count), out var sequence, out var command);
                var status = codec.TryRead(_buffer.AsSpan(0, _count), fromDevice, out var message, out var consumed, out var error);
                if (status == TuyaDecodeStatus.NeedMore) break;
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _count - consumed);
                _count -= consumed;
                if (status == TuyaDecodeStatus.Frame) return message;
                if (!onBad(status, sequence, command, error)) return null;
            }
            if (_count == _buffer.Length)
            {
                if (_buffer.Length >= TuyaFrameCodec.MaxFrameBytes * 2) { _count = 0; continue; }
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int read;
            try
            {
                read = await stream.ReadAsync(_buffer.AsMemory(_count), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                return null;
            }
            if (read == 0) return null;
            _count += read;
        }
    }
}
