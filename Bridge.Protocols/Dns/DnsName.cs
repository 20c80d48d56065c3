using System.Text;

namespace Bridge.Protocols.Dns;

/// <summary>A domain name as its labels (no escaping games: an instance label may hold dots and
/// spaces). Compared case-insensitively for ASCII, as DNS requires.</summary>
public sealed class DnsName : IEquatable<DnsName>
{
    public const int MaxLabelBytes = 63;
    /// <summary>Wire length including length bytes and the final zero.</summary>
    public const int MaxWireBytes = 255;

    public static readonly DnsName Root = new([]);

    private DnsName(string[] labels) => Labels = labels;

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Builds a name from labels; throws when a label is empty or too long, or the name too long.</summary>
    public static DnsName FromLabels(params string[] labels)
    {
        var wire = 1;
        foreach (var label in labels)
        {
            var bytes = Encoding.UTF8.GetByteCount(label);
            if (bytes is 0 or > MaxLabelBytes) throw new ArgumentException($"label '{label}' must be 1..{MaxLabelBytes} bytes");
            wire += 1 + bytes;
        }
        if (wire > MaxWireBytes) throw new ArgumentException($"name is {wire} bytes on the wire; at most {MaxWireBytes}");
        return new DnsName((string[])labels.Clone());
    }

    /// <summary>Splits a dotted name such as <c>_http._tcp.local.</c>; use <see cref="Prepend"/> for
    /// a label that contains dots.</summary>
    public static DnsName Parse(string dotted) =>
        FromLabels(dotted.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Trusted construction by the reader, which has already checked the limits.</summary>
    internal static DnsName FromCheckedLabels(string[] labels) => new(labels);

    public DnsName Prepend(string label) => FromLabels([label, .. Labels]);

    /// <summary>The name without its first label (the parent domain).</summary>
    public DnsName Parent => Labels.Count == 0 ? this : new DnsName(Labels.Skip(1).ToArray());

    public bool EndsWith(DnsName suffix)
    {
        var skip = Labels.Count - suffix.Labels.Count;
        if (skip < 0) return false;
        for (var i = 0; i < suffix.Labels.Count; i++)
            if (!LabelEquals(Labels[skip + i], suffix.Labels[i])) return false;
        return true;
    }

    public static bool LabelEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public bool Equals(DnsName? other)
    {
        if (other is null || other.Labels.Count != Labels.Count) return false;
        for (var i = 0; i < Labels.Count; i++)
            if (!LabelEquals(Labels[i], other.Labels[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var l in Labels) hash.Add(l, StringComparer.OrdinalIgnoreCase);
        return hash.ToHashCode();
    }

    public override string ToString() => Labels.Count == 0 ? "." : string.Join('.', Labels) + ".";

    public static bool operator ==(DnsName? a, DnsName? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(DnsName? a, DnsName? b) => !(a == b);
}
