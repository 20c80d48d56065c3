using System.Net.Sockets;
using Bridge.Protocols.Tuya;

namespace Bridge.Runtime.Tuya;

/// <summary>Reads whole Tuya messages off a stream: the I/O half of <see cref="TuyaFrameBuffer"/>,
/// which cuts the frames. The same for the bridge's connections and the simulated devices; the
/// stream is whatever transport the caller opened.</summary>
public sealed class TuyaFrameReader(Stream stream)
{
    private readonly TuyaFrameBuffer _buffer = new();

    /// <summary>The next message, or null at the end of the stream, when the stream fails, or when
    /// <paramref name="onBad"/> says to stop. <paramref name="onBad"/> hears about every frame that
    /// failed (status, its sequence and command, why) and says whether to go on.</summary>
    public async Task<TuyaMessage?> ReadAsync(TuyaCodec codec, bool fromDevice, Func<TuyaDecodeStatus, uint, uint, string, bool> onBad, CancellationToken ct)
    {
        while (true)
        {
            var message = _buffer.Next(codec, fromDevice, onBad, out var stopped);
            if (message is not null || stopped) return message;
            int read;
            try
            {
                read = await stream.ReadAsync(_buffer.FreeSpace(), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                return null;
            }
            if (read == 0) return null;
            _buffer.Advance(read);
        }
    }
}
