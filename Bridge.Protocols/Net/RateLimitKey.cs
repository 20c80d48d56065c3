using System.Net;
using System.Net.Sockets;

namespace Bridge.Protocols.Net;

/// <summary>The key a per-address limit counts a remote address under. One host commonly holds a
/// whole IPv6 /64 (SLAAC privacy addresses, a delegated prefix) and can pick a fresh address for
/// every attempt, so IPv6 addresses count by their /64; an IPv4-mapped IPv6 address counts as its
/// IPv4 address; null (unknown) is one key of its own.</summary>
public static class RateLimitKey
{
    public static IPAddress Of(IPAddress? address)
    {
        if (address is null) return IPAddress.None;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
