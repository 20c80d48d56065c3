namespace Bridge.Protocols.Dns;

/// <summary>One question; <see cref="UnicastResponse"/> is mDNS's QU bit, kept apart from the class.</summary>
public sealed record DnsQuestion(DnsName Name, DnsType Type, ushort Class = DnsConstants.ClassIn, bool UnicastResponse = false);
