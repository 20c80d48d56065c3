namespace Bridge.Protocols.Improv;

/// <summary>One Improv packet: its type and its data (the checksum already checked).</summary>
public sealed record ImprovPacket(ImprovPacketType Type, byte[] Data)
{
    /// <summary>The state of a <see cref="ImprovPacketType.CurrentState"/> packet, or null.</summary>
    public ImprovState? State => Type == ImprovPacketType.CurrentState && Data.Length >= 1 ? (ImprovState)Data[0] : null;

    /// <summary>The error of an <see cref="ImprovPacketType.ErrorState"/> packet, or null.</summary>
    public ImprovError? Error => Type == ImprovPacketType.ErrorState && Data.Length >= 1 ? (ImprovError)Data[0] : null;
}
