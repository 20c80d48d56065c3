using Google.Protobuf;
using Bridge.Protocols.EspProv.Messages;

namespace Bridge.Protocols.EspProv;

/// <summary>The installer's side of a <c>prov-session</c> handshake: <see cref="Begin"/> gives the
/// first request body, <see cref="Continue"/> takes each response and gives the next request, or
/// null once the session is established; then <see cref="Encrypt"/>/<see cref="Decrypt"/> wrap
/// the other endpoints' bodies. No I/O: the transport (HTTP, BLE) is the caller's.</summary>
public abstract class EspProvClientSession : IEspProvCipher
{
    protected IEspProvCipher? Cipher { get; set; }

    public abstract int SecurityVersion { get; }

    public bool Established => Cipher is not null;

    public abstract byte[] Begin();

    public abstract byte[]? Continue(ReadOnlySpan<byte> response);

    public byte[] Encrypt(ReadOnlySpan<byte> plain) =>
        (Cipher ?? throw new EspProvException("the session is not established yet")).Encrypt(plain);

    public byte[] Decrypt(ReadOnlySpan<byte> data) =>
        (Cipher ?? throw new EspProvException("the session is not established yet")).Decrypt(data);

    /// <summary>The session for what <c>proto-ver</c> announced. <paramref name="pop"/> is the
    /// proof of possession (security 1: optional; security 2: the password of
    /// <paramref name="username"/>).</summary>
    public static EspProvClientSession Create(int securityVersion, int patchVersion, string? pop, string username = Security2Client.DefaultUsername) =>
        securityVersion switch
        {
            0 => new Security0Client(),
            1 => new Security1Client(pop),
            2 => pop is { Length: > 0 } ? new Security2Client(username, pop, patchVersion)
                : throw new EspProvException("the device uses security 2, which needs its proof of possession (pop); none was given"),
            _ => throw new EspProvException($"the device asks for security {securityVersion}, which the bridge does not know (it knows 0, 1 and 2)"),
        };

    /// <summary>Reads one response as a <see cref="SessionData"/> of this security version.</summary>
    protected SessionData ParseResponse(ReadOnlySpan<byte> response, string step)
    {
        var data = EspProvCodec.Parse(SessionData.Parser, response, $"session ({step})");
        if ((int)data.SecVer != SecurityVersion)
            throw new EspProvException($"the device answered the session {step} with security {(int)data.SecVer}, not {SecurityVersion}");
        return data;
    }

    protected static void Check(Status status, string step)
    {
        if (status != Status.Success) throw new EspProvException($"the device refused the session {step} ({status})");
    }
}

/// <summary>The device's side of a <c>prov-session</c> handshake (the simulator's ESP-IDF
/// devices): <see cref="Handle"/> answers each request; a request that breaks the handshake (bad
/// proof, wrong security, malformed) throws <see cref="EspProvException"/>, which a device
/// answers as a failed request (ESP-IDF's HTTP server says 500).</summary>
public abstract class EspProvDeviceSession : IEspProvCipher
{
    protected IEspProvCipher? Cipher { get; set; }

    public abstract int SecurityVersion { get; }

    public bool Established => Cipher is not null;

    public abstract byte[] Handle(ReadOnlySpan<byte> request);

    public byte[] Encrypt(ReadOnlySpan<byte> plain) =>
        (Cipher ?? throw new EspProvException("no session established")).Encrypt(plain);

    public byte[] Decrypt(ReadOnlySpan<byte> data) =>
        (Cipher ?? throw new EspProvException("no session established")).Decrypt(data);

    public static EspProvDeviceSession Create(int securityVersion, int patchVersion, string? pop, string username = Security2Client.DefaultUsername) =>
        securityVersion switch
        {
            0 => new Security0Device(),
            1 => new Security1Device(pop),
            2 => new Security2Device(username, pop ?? "", patchVersion),
            _ => throw new ArgumentOutOfRangeException(nameof(securityVersion)),
        };

    protected SessionData ParseRequest(ReadOnlySpan<byte> request)
    {
        var data = EspProvCodec.Parse(SessionData.Parser, request, "session");
        if ((int)data.SecVer != SecurityVersion)
            throw new EspProvException($"a session request for security {(int)data.SecVer} reached a security {SecurityVersion} device");
        return data;
    }
}

/// <summary>Security 0: one empty command, one response, then plaintext.</summary>
public sealed class Security0Client : EspProvClientSession
{
    public override int SecurityVersion => 0;

    public override byte[] Begin() => new SessionData
    {
        SecVer = SecSchemeVersion.SecScheme0,
        Sec0 = new Sec0Payload { Msg = Sec0MsgType.S0SessionCommand, Sc = new S0SessionCmd() },
    }.ToByteArray();

    public override byte[]? Continue(ReadOnlySpan<byte> response)
    {
        var data = ParseResponse(response, "reply");
        if (data.Sec0?.Sr is not { } reply) throw new EspProvException("the device's security 0 reply holds no session response");
        Check(reply.Status, "reply");
        Cipher = PlainCipher.Instance;
        return null;
    }
}

/// <summary>Security 0 on the device: answers the one command with success.</summary>
public sealed class Security0Device : EspProvDeviceSession
{
    public override int SecurityVersion => 0;

    public override byte[] Handle(ReadOnlySpan<byte> request)
    {
        var data = ParseRequest(request);
        if (data.Sec0?.Sc is null) throw new EspProvException("the security 0 request holds no session command");
        Cipher = PlainCipher.Instance;
        return new SessionData
        {
            SecVer = SecSchemeVersion.SecScheme0,
            Sec0 = new Sec0Payload { Msg = Sec0MsgType.S0SessionResponse, Sr = new S0SessionResp { Status = Status.Success } },
        }.ToByteArray();
    }
}
