using System.Text;

namespace Bridge.Tests.Service;

/// <summary>C# source with comments and string and char literals blanked out, so what is left
/// is code: a folder named in a comment or a log message is no dependency. Line breaks are kept.</summary>
public static class CSharpCode
{
    public static string Of(string source)
    {
        var code = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/') i = SkipTo(source, i, "\n", code, keepEnd: true);
            else if (c == '/' && next == '*') i = SkipTo(source, i + 2, "*/", code, keepEnd: false);
            else if (c == '\'') i = SkipQuoted(source, i + 1, '\'', verbatim: false, code);
            else if (c is '"' or '$' or '@' && StringStart(source, i) is { } start) i = SkipString(source, i, start, code);
            else
            {
                code.Append(c);
                i++;
            }
        }
        return code.ToString();
    }

    private readonly record struct StringKind(int PrefixLength, int Quotes, bool Verbatim);

    /// <summary>Where a string literal starts at <paramref name="i"/>: its prefix ($, @, $@, @$, $$...),
    /// how many quotes open it (3 or more for a raw string) and whether it is verbatim.</summary>
    private static StringKind? StringStart(string s, int i)
    {
        var j = i;
        var verbatim = false;
        while (j < s.Length && s[j] is '$' or '@')
        {
            verbatim |= s[j] == '@';
            j++;
        }
        if (j >= s.Length || s[j] != '"') return null;
        var quotes = 0;
        while (j + quotes < s.Length && s[j + quotes] == '"') quotes++;
        // "" is an empty string, not a raw one.
        if (quotes == 2) quotes = 1;
        return new StringKind(j - i, quotes >= 3 ? quotes : 1, verbatim);
    }

    private static int SkipString(string s, int i, StringKind kind, StringBuilder code)
    {
        var start = i + kind.PrefixLength + kind.Quotes;
        if (kind.Quotes >= 3) return SkipTo(s, start, new string('"', kind.Quotes), code, keepEnd: false);
        return SkipQuoted(s, start, '"', kind.Verbatim, code);
    }

    private static int SkipQuoted(string s, int i, char quote, bool verbatim, StringBuilder code)
    {
        code.Append(' ');
        while (i < s.Length)
        {
            if (!verbatim && s[i] == '\\') i += 2;
            else if (s[i] == quote && verbatim && i + 1 < s.Length && s[i + 1] == quote) i += 2;
            else if (s[i] == quote) return i + 1;
            else
            {
                if (s[i] == '\n') code.Append('\n');
                i++;
            }
        }
        return i;
    }

    private static int SkipTo(string s, int i, string end, StringBuilder code, bool keepEnd)
    {
        var at = s.IndexOf(end, i, StringComparison.Ordinal);
        var stop = at < 0 ? s.Length : at;
        code.Append(' ').Append('\n', s.AsSpan(i, stop - i).Count('\n'));
        if (at < 0) return s.Length;
        return keepEnd ? at : at + end.Length;
    }
}
