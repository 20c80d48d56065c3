using Google.Protobuf;

namespace Bridge.Protocols.EspProv;

/// <summary>Parses the protobuf bodies of the provisioning endpoints so that malformed input is
/// one clear <see cref="EspProvException"/> naming the endpoint, never a parser's own exception.</summary>
public static class EspProvCodec
{
    /// <summary>The largest body the endpoints take or give: every message in the protocol is a
    /// few hundred bytes (a scan page of a few networks is the largest).</summary>
    public const int MaxBody = 16 * 1024;

    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> body, string what) where T : IMessage<T>
    {
        if (body.Length > MaxBody) throw new EspProvException($"the {what} message is {body.Length} bytes, far more than any provisioning message");
        try
        {
            return parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new EspProvException($"the {what} message is not valid protobuf ({e.Message})", e);
        }
    }

    public static bool TryParse<T>(MessageParser<T> parser, ReadOnlySpan<byte> body, out T? message) where T : class, IMessage<T>
    {
        message = null;
        if (body.Length > MaxBody) return false;
        try
        {
            message = parser.ParseFrom(body);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
