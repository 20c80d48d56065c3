using System.Buffers.Binary;

namespace Bridge.Protocols.Relay;

/// <summary>What one envelope on a bridge's relay link carries.</summary>
public enum EnvelopeKind : byte
{
    /// <summary>Relay → bridge: a client session opens; the payload is the client's token (UTF-8),
    /// which the bridge verifies again itself.</summary>
    Open = 1,
    /// <summary>Either way: one text frame of the session.</summary>
    Text = 2,
    /// <summary>Relay → bridge: the client sent a binary frame (the API answers it with bad_request).</summary>
    Binary = 3,
    /// <summary>Either way: the session is over; payload = 2-byte close code, then a UTF-8 reason.</summary>
    Close = 4,
    /// <summary>Bridge → relay, session 0: every revoked, unexpired jti, one per line (the whole list).</summary>
    Revoked = 5,
    /// <summary>Either way, session 0: heartbeat; the payload comes back in the <see cref="Pong"/>.</summary>
    Ping = 6,
    Pong = 7,
}

/// <summary>The multiplexing envelope of the relay link: one binary WebSocket message per envelope,
/// <c>[kind: 1 byte][session id: uint32 big-endian][payload]</c>. Session ids are chosen by the relay.</summary>
public static class RelayEnvelope
{
    public const int HeaderBytes = 5;

    public static void WriteHeader(Span<byte> destination, EnvelopeKind kind, uint session)
    {
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], session);
    }

    public static byte[] Create(EnvelopeKind kind, uint session, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[HeaderBytes + payload.Length];
        WriteHeader(bytes, kind, session);
        payload.CopyTo(bytes.AsSpan(HeaderBytes));
        return bytes;
    }

    public static byte[] Close(uint session, ushort code, string reason)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(reason.Length > 100 ? reason[..100] : reason);
        var bytes = new byte[HeaderBytes + 2 + text.Length];
        WriteHeader(bytes, EnvelopeKind.Close, session);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(HeaderBytes), code);
        text.CopyTo(bytes.AsSpan(HeaderBytes + 2));
        return bytes;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out EnvelopeKind kind, out uint session, out ReadOnlySpan<byte> payload)
    {
        kind = default;
        session = 0;
        payload = default;
        if (message.Length < HeaderBytes || message[0] is < (byte)EnvelopeKind.Open or > (byte)EnvelopeKind.Pong) return false;
        kind = (EnvelopeKind)message[0];
        session = BinaryPrimitives.ReadUInt32BigEndian(message[1..]);
        payload = message[HeaderBytes..];
        return true;
    }

    public static (ushort Code, string Reason) ReadClose(ReadOnlySpan<byte> payload) =>
        payload.Length < 2
            ? ((ushort)1000, "")
            : (BinaryPrimitives.ReadUInt16BigEndian(payload), System.Text.Encoding.UTF8.GetString(payload[2..]));
}
