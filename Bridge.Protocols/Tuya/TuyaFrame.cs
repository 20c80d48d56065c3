namespace Bridge.Protocols.Tuya;

/// <summary>One Tuya frame as read off the wire, integrity already checked: its sequence number,
/// command, the device's return code (device→client frames only, when present) and the payload
/// still as sent (encrypted where the version encrypts it; for 3.5 the GCM plaintext).</summary>
public readonly record struct TuyaFrame(uint Sequence, uint Command, uint? ReturnCode, byte[] Payload);

/// <summary>What a decode attempt found at the start of the input.</summary>
public enum TuyaDecodeStatus
{
    /// <summary>Could be the start of a frame; wait for more bytes (nothing consumed).</summary>
    NeedMore,
    /// <summary>A whole frame whose CRC, HMAC or GCM tag checked out.</summary>
    Frame,
    /// <summary>Not a good frame here (no prefix, bad length or suffix, a CRC that fails): drop
    /// the bytes consumed and try again.</summary>
    Invalid,
    /// <summary>A whole, well-formed frame that was not made with this key: its HMAC or GCM tag
    /// fails, or its payload does not decrypt (or, 3.1, its signature fails). Drop it; from a
    /// device, it means the key the bridge holds is not the device's.</summary>
    Unauthentic,
}

/// <summary>How a frame's integrity is protected, which follows from the protocol version.</summary>
public enum TuyaIntegrity
{
    /// <summary>55AA frame, CRC-32 (3.1–3.3, and every version's 6666/6667 broadcasts).</summary>
    Crc,
    /// <summary>55AA frame, HMAC-SHA256 with the session (or, during the handshake, local) key (3.4).</summary>
    Hmac,
    /// <summary>6699 frame, AES-128-GCM with the session (or local, or UDP) key (3.5).</summary>
    Gcm,
}
