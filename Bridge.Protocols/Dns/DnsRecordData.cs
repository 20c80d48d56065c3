using System.Net;
using System.Text;

namespace Bridge.Protocols.Dns;

/// <summary>The RDATA of a resource record, by type.</summary>
public abstract record DnsRecordData;

public sealed record PtrData(DnsName Target) : DnsRecordData;

public sealed record SrvData(ushort Priority, ushort Weight, ushort Port, DnsName Target) : DnsRecordData;

/// <summary>A or AAAA.</summary>
public sealed record AddressData(IPAddress Address) : DnsRecordData;

/// <summary>The character-strings of a TXT record, as bytes (values may be any 8-bit data).</summary>
public sealed record TxtData(IReadOnlyList<byte[]> Strings) : DnsRecordData
{
    /// <summary>RFC 6763 §6: an instance with nothing to say still has a TXT of one empty string.</summary>
    public static TxtData FromPairs(params (string Key, string? Value)[] pairs)
    {
        if (pairs.Length == 0) return new TxtData([Array.Empty<byte>()]);
        var strings = new List<byte[]>(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            var bytes = Encoding.UTF8.GetBytes(value is null ? key : key + "=" + value);
            if (bytes.Length > 255) throw new ArgumentException($"TXT string '{key}' is over 255 bytes");
            strings.Add(bytes);
        }
        return new TxtData(strings);
    }

    /// <summary>Keys (lower-cased) to values per RFC 6763 §6.4: first occurrence wins, strings
    /// starting with '=' are ignored, a key alone maps to null.</summary>
    public IReadOnlyDictionary<string, string?> ToDictionary()
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in Strings)
        {
            if (s.Length == 0 || s[0] == (byte)'=') continue;
            var eq = Array.IndexOf(s, (byte)'=');
            var key = Encoding.ASCII.GetString(s, 0, eq < 0 ? s.Length : eq);
            var value = eq < 0 ? null : Encoding.UTF8.GetString(s, eq + 1, s.Length - eq - 1);
            result.TryAdd(key, value);
        }
        return result;
    }

    public bool Equals(TxtData? other) =>
        other is not null && other.Strings.Count == Strings.Count && Strings.Zip(other.Strings).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    public override int GetHashCode() => Strings.Count;
}

/// <summary>mDNS negative answers (RFC 6762 §6.1): the next name and the type bitmap, kept raw.</summary>
public sealed record NsecData(DnsName Next, byte[] TypeBitmaps) : DnsRecordData
{
    public bool Equals(NsecData? other) => other is not null && other.Next == Next && other.TypeBitmaps.AsSpan().SequenceEqual(TypeBitmaps);
    public override int GetHashCode() => Next.GetHashCode();
}

/// <summary>Any other type, as its bytes.</summary>
public sealed record RawData(byte[] Bytes) : DnsRecordData
{
    public bool Equals(RawData? other) => other is not null && other.Bytes.AsSpan().SequenceEqual(Bytes);
    public override int GetHashCode() => Bytes.Length;
}
