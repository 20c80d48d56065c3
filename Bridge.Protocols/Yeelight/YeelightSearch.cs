using System.Globalization;
using System.Net;
using System.Text;

namespace Bridge.Protocols.Yeelight;

/// <summary>The SSDP-like discovery of Yeelight bulbs: the <c>M-SEARCH</c> request, the bulbs'
/// unicast <c>HTTP/1.1 200 OK</c> responses and multicast <c>NOTIFY</c> adverts (CRLF lines,
/// <c>name: value</c> headers). Parsing never throws; it says what was wrong instead.</summary>
public static class YeelightSearch
{
    private const string NotifyStart = "NOTIFY * HTTP/1.1";
    private const string ResponseStart = "HTTP/1.1 200 OK";
    private const string SearchStart = "M-SEARCH * HTTP/1.1";

    private static readonly byte[] RequestBytes = Encoding.ASCII.GetBytes(
        SearchStart + "\r\n" +
        "HOST: 239.255.255.250:1982\r\n" +
        "MAN: \"ssdp:discover\"\r\n" +
        "ST: wifi_bulb\r\n");

    /// <summary>The search datagram, exactly as the specification gives it.</summary>
    public static ReadOnlySpan<byte> Request => RequestBytes;

    /// <summary>Whether a datagram is a search for Yeelight bulbs (what a bulb answers).</summary>
    public static bool IsRequest(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > YeelightConstants.MaxDatagramBytes || !TryReadHeaders(datagram, out var start, out var headers)) return false;
        return start == SearchStart && headers.TryGetValue("st", out var st) && (st == YeelightConstants.SearchTarget || st == "ssdp:all");
    }

    /// <summary>Reads a search response or a NOTIFY advert. False (with the reason) for anything
    /// else: a search request, a truncated or foreign datagram, a bad Location or id.</summary>
    public static bool TryParseAdvert(ReadOnlySpan<byte> datagram, out YeelightAdvert? advert, out string error)
    {
        advert = null;
        if (datagram.Length > YeelightConstants.MaxDatagramBytes)
        {
            error = $"datagram of {datagram.Length} bytes is too long for an advert";
            return false;
        }
        if (!TryReadHeaders(datagram, out var start, out var headers))
        {
            error = "not text lines";
            return false;
        }
        var notify = start == NotifyStart;
        if (!notify && start != ResponseStart)
        {
            error = $"starts with '{Clip(start)}', not a search response or NOTIFY";
            return false;
        }
        if (!headers.TryGetValue("location", out var location) || !TryParseLocation(location, out var host, out var port))
        {
            error = "no yeelight://ip:port Location";
            return false;
        }
        if (!headers.TryGetValue("id", out var rawId) || !TryNormaliseId(rawId, out var id))
        {
            error = "no valid id (0x and up to 16 hex digits)";
            return false;
        }
        advert = new YeelightAdvert
        {
            Id = id,
            Host = host,
            Port = port,
            IsNotify = notify,
            Model = headers.GetValueOrDefault("model"),
            FirmwareVersion = headers.GetValueOrDefault("fw_ver"),
            Support = headers.TryGetValue("support", out var support) ? support.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [],
            Power = headers.GetValueOrDefault("power"),
            Bright = headers.GetValueOrDefault("bright"),
            ColorMode = headers.GetValueOrDefault("color_mode"),
            Ct = headers.GetValueOrDefault("ct"),
            Rgb = headers.GetValueOrDefault("rgb"),
            Hue = headers.GetValueOrDefault("hue"),
            Sat = headers.GetValueOrDefault("sat"),
            Name = headers.TryGetValue("name", out var name) ? DecodeName(name) : null,
            MaxAge = headers.TryGetValue("cache-control", out var cache) && TryParseMaxAge(cache, out var age) ? age : TimeSpan.FromHours(1),
        };
        error = "";
        return true;
    }

    /// <summary>A bulb's answer to a search (<paramref name="notify"/> false) or its advert.</summary>
    public static byte[] WriteAdvert(YeelightAdvert advert, bool notify)
    {
        var sb = new StringBuilder(512);
        if (notify)
        {
            sb.Append(NotifyStart).Append("\r\n");
            sb.Append("Host: 239.255.255.250:1982\r\n");
        }
        else
        {
            sb.Append(ResponseStart).Append("\r\n");
            sb.Append("Ext: \r\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"Cache-Control: max-age={(int)advert.MaxAge.TotalSeconds}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Location: {YeelightConstants.Scheme}{advert.Host}:{advert.Port}\r\n");
        if (notify) sb.Append("NTS: ssdp:alive\r\n");
        sb.Append("Server: POSIX UPnP/1.0 YGLC/1\r\n");
        sb.Append("id: ").Append(advert.Id).Append("\r\n");
        Header(sb, "model", advert.Model);
        Header(sb, "fw_ver", advert.FirmwareVersion);
        sb.Append("support: ").Append(string.Join(' ', advert.Support)).Append("\r\n");
        Header(sb, "power", advert.Power);
        Header(sb, "bright", advert.Bright);
        Header(sb, "color_mode", advert.ColorMode);
        Header(sb, "ct", advert.Ct);
        Header(sb, "rgb", advert.Rgb);
        Header(sb, "hue", advert.Hue);
        Header(sb, "sat", advert.Sat);
        if (advert.Name is not null) sb.Append("name: ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(advert.Name))).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary><c>0x15243F</c> → <c>0x000000000015243f</c>: one spelling per bulb, whatever it sent.</summary>
    public static bool TryNormaliseId(string raw, out string id)
    {
        id = "";
        var hex = raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? raw[2..] : "";
        if (hex.Length is 0 or > 16 || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n)) return false;
        id = "0x" + n.ToString("x16", CultureInfo.InvariantCulture);
        return true;
    }

    private static void Header(StringBuilder sb, string name, string? value)
    {
        if (value is not null) sb.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    private static bool TryParseLocation(string location, out string host, out int port)
    {
        host = "";
        port = 0;
        if (!location.StartsWith(YeelightConstants.Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = location[YeelightConstants.Scheme.Length..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        var hostPart = colon < 0 ? rest : rest[..colon];
        if (!IPAddress.TryParse(hostPart, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        port = YeelightConstants.ControlPort;
        if (colon >= 0 && (!int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)) return false;
        host = address.ToString();
        return true;
    }

    private static bool TryParseMaxAge(string cacheControl, out TimeSpan age)
    {
        age = default;
        var i = cacheControl.IndexOf("max-age=", StringComparison.OrdinalIgnoreCase);
        if (i < 0) return false;
        var digits = cacheControl.AsSpan(i + 8);
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end])) end++;
        if (!int.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 7 * 86400) return false;
        age = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Names are base64 of UTF-8 (PROTOCOLS.md §6.2); some firmware sends plain text.</summary>
    private static string DecodeName(string value)
    {
        var buffer = new byte[value.Length];
        if (Convert.TryFromBase64String(value, buffer, out var n))
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, n);
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return value;
    }

    /// <summary>Splits a datagram into its start line and headers (names lower-cased, first wins).</summary>
    private static bool TryReadHeaders(ReadOnlySpan<byte> datagram, out string start, out Dictionary<string, string> headers)
    {
        headers = new Dictionary<string, string>(StringComparer.Ordinal);
        start = "";
        if (datagram.IsEmpty) return false;
        var text = Encoding.UTF8.GetString(datagram);
        var lines = text.Split('\n');
        start = lines[0].TrimEnd('\r').Trim();
        for (var i = 1; i < lines.Length && headers.Count < 64; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].Trim().ToLowerInvariant();
            headers.TryAdd(name, line[(colon + 1)..].Trim());
        }
        return true;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
