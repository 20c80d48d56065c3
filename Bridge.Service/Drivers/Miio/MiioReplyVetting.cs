using System.Buffers.Binary;
using Bridge.Protocols.Miio;

namespace Bridge.Service.Drivers.Miio;

/// <summary>What one datagram from a device's address is, as the answer to one request.</summary>
public enum MiioReplyVerdict
{
    /// <summary>The answer: this device, this request, our token, a current stamp.</summary>
    Accepted,
    /// <summary>Not for this request and nothing wrong with it: a late hello answer, an answer to an earlier request.</summary>
    Ignored,
    /// <summary>Not miIO, for another device id, or unreadable: reported, dropped.</summary>
    Malformed,
    /// <summary>This device's id, well framed, and not in our token: the device was re-bound.</summary>
    OtherToken,
    /// <summary>Authentic, but stamped far behind the device's clock: an old packet sent again.</summary>
    Stale,
}

/// <summary>Decides what a datagram from a device's address is, as the answer to one request
/// (PROTOCOLS.md §10.2): pure, so property tests can throw anything at it.</summary>
public static class MiioReplyVetting
{
    /// <summary>A genuine reply carries the device's current stamp; one this far behind is a replay.</summary>
    public static readonly TimeSpan StampTolerance = TimeSpan.FromSeconds(60);

    /// <summary>Classifies a datagram (pure; never throws for any input).</summary>
    public static MiioReplyVerdict Vet(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> token, uint did, long id, uint expectedStamp,
        out MiioReply? reply, out uint stamp, out string problem)
    {
        reply = null;
        stamp = 0;
        problem = "";
        if (datagram.Length == MiioPacketCodec.HeaderBytes && BinaryPrimitives.ReadUInt16BigEndian(datagram) == 0x2131) return MiioReplyVerdict.Ignored;
        if (datagram.Length < MiioPacketCodec.HeaderBytes || BinaryPrimitives.ReadUInt16BigEndian(datagram) != 0x2131
            || BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) != datagram.Length)
        {
            problem = "a datagram that is not miIO";
            return MiioReplyVerdict.Malformed;
        }
        var from = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        if (from != did)
        {
            problem = $"a reply for another device id ({from})";
            return MiioReplyVerdict.Malformed;
        }
        if (MiioPacketCodec.TryRead(datagram, token, out var p, out var error) != MiioDecodeStatus.Packet)
        {
            problem = error;
            return error.StartsWith("checksum", StringComparison.Ordinal) ? MiioReplyVerdict.OtherToken : MiioReplyVerdict.Malformed;
        }
        if (!MiioJson.TryReadReply(p.Body, out reply, out error))
        {
            problem = error;
            return MiioReplyVerdict.Malformed;
        }
        if (reply!.Id != id)
        {
            reply = null;
            return MiioReplyVerdict.Ignored;
        }
        // A reboot restarts the stamp, but it shows in the hello first (a retry says hello again):
        // a reply whose stamp went back without one is an old packet sent again.
        if ((long)p.Stamp + (long)StampTolerance.TotalSeconds < expectedStamp)
        {
            problem = $"a reply stamped {expectedStamp - p.Stamp} s in the past (a replay?)";
            reply = null;
            return MiioReplyVerdict.Stale;
        }
        stamp = p.Stamp;
        return MiioReplyVerdict.Accepted;
    }
}
