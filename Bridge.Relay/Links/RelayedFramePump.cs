using Bridge.Relay.Backplane;
using System.Net.WebSockets;
using System.Threading.Channels;
using Bridge.Runtime.Metrics;

namespace Bridge.Relay.Links;

/// <summary>The send loop both ends of the relay share: each queued frame to the socket as one
/// message, its residence observed as it is handed over, and back to the pool whatever happens.</summary>
public static class RelayedFramePump
{
    public static async Task RunAsync(ChannelReader<RelayedFrame> reader, WebSocket socket, WebSocketMessageType type,
        PrometheusHistogram residence, CancellationToken ct)
    {
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var frame))
            {
                // Observed as the frame is handed to the socket, so a peer that has the frame has it counted.
                if (frame.ReceivedAt != 0) residence.ObserveSince(frame.ReceivedAt);
                try
                {
                    await socket.SendAsync(frame.Memory, type, true, ct).ConfigureAwait(false);
                }
                finally
                {
                    frame.Release();
                }
            }
        }
    }
}
