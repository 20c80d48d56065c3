using System.Buffers;

namespace Bridge.Protocols.Yeelight;

public enum LineRead
{
    /// <summary>A complete line (without its CR LF) was taken.</summary>
    Line,
    /// <summary>No complete line yet; read more.</summary>
    NeedMore,
    /// <summary>An overlong line was thrown away (or is being); the stream goes on after its LF.</summary>
    Dropped,
}

/// <summary>Splits the control stream into its <c>\r\n</c>-terminated JSON lines, dropping any
/// line longer than <see cref="YeelightConstants.MaxLineBytes"/> so a misbehaving peer cannot
/// make us buffer without end.</summary>
public static class YeelightLines
{
    /// <param name="skipping">State across calls: true while the rest of an overlong line is discarded.</param>
    public static LineRead TryTake(ref ReadOnlySequence<byte> buffer, ref bool skipping, out ReadOnlySequence<byte> line)
    {
        line = default;
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            if (!skipping && buffer.Length <= YeelightConstants.MaxLineBytes) return LineRead.NeedMore;
            var first = !skipping;
            skipping = true;
            buffer = buffer.Slice(buffer.End);
            return first ? LineRead.Dropped : LineRead.NeedMore;
        }
        var taken = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        if (skipping)
        {
            skipping = false;
            return LineRead.NeedMore;
        }
        if (taken.Length > YeelightConstants.MaxLineBytes) return LineRead.Dropped;
        if (taken.Length > 0 && taken.Slice(taken.Length - 1).FirstSpan[0] == (byte)'\r') taken = taken.Slice(0, taken.Length - 1);
        line = taken;
        return LineRead.Line;
    }
}
