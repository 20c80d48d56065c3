using System.Text;
using Bridge.Protocols.Relay;

namespace Bridge.Relay.Backplane.Redis;

/// <summary>One frame between relay nodes, carrying one relay envelope (<see cref="RelayEnvelope"/>).
/// To the node that holds the bridge: <c>[1][origin node: length byte + ASCII][bridge id: length byte +
/// ASCII][envelope with the origin's session id]</c>. Back to the client's node: <c>[2][envelope with
/// that node's session id]</c>.</summary>
internal static class NodeMessage
{
    public const byte ForBridgeType = 1;
    public const byte ForClientType = 2;

    public static byte[] ForBridge(string originNode, string bridgeId, ReadOnlySpan<byte> envelope)
    {
        var bytes = new byte[3 + originNode.Length + bridgeId.Length + envelope.Length];
        bytes[0] = ForBridgeType;
        var at = WriteName(bytes, 1, originNode);
        at = WriteName(bytes, at, bridgeId);
        envelope.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    public static bool TryReadForBridge(ReadOnlySpan<byte> message, out string originNode, out string bridgeId, out ReadOnlySpan<byte> envelope)
    {
        originNode = bridgeId = "";
        envelope = default;
        if (message.Length < 3 || message[0] != ForBridgeType) return false;
        var at = 1;
        if (!TryReadName(message, ref at, out originNode) || !TryReadName(message, ref at, out bridgeId)) return false;
        envelope = message[at..];
        return envelope.Length >= RelayEnvelope.HeaderBytes;
    }

    public static byte[] ForClient(ReadOnlySpan<byte> envelope)
    {
        var bytes = new byte[1 + envelope.Length];
        bytes[0] = ForClientType;
        envelope.CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    public static byte[] ForClient(EnvelopeKind kind, uint session, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[1 + RelayEnvelope.HeaderBytes + payload.Length];
        bytes[0] = ForClientType;
        RelayEnvelope.WriteHeader(bytes.AsSpan(1), kind, session);
        payload.CopyTo(bytes.AsSpan(1 + RelayEnvelope.HeaderBytes));
        return bytes;
    }

    /// <summary>A copy of <paramref name="envelope"/> for another session id.</summary>
    public static byte[] Readdressed(ReadOnlySpan<byte> envelope, uint session)
    {
        var copy = envelope.ToArray();
        RelayEnvelope.WriteHeader(copy, (EnvelopeKind)copy[0], session);
        return copy;
    }

    private static int WriteName(byte[] bytes, int at, string name)
    {
        bytes[at] = checked((byte)name.Length);
        return at + 1 + Encoding.ASCII.GetBytes(name, bytes.AsSpan(at + 1));
    }

    private static bool TryReadName(ReadOnlySpan<byte> message, ref int at, out string name)
    {
        name = "";
        if (at >= message.Length) return false;
        var length = message[at];
        if (at + 1 + length > message.Length) return false;
        name = Encoding.ASCII.GetString(message.Slice(at + 1, length));
        at += 1 + length;
        return true;
    }
}
