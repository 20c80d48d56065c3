using System.Buffers;
using System.Text;

namespace Bridge.Protocols.Improv;

/// <summary>The RPC layer inside Improv packets (PROTOCOLS.md, RPC command and result data): a
/// command is <c>cmd len payload</c>; a result is <c>cmd innerLen {strLen str}*</c>, read by
/// <c>innerLen</c> because ESPHome's outer length counts one extra trailing zero. Both the
/// client's side (commands out, results in) and the device's (for the simulator). Parsers never
/// throw on any input.</summary>
public static class ImprovRpc
{
    /// <summary>Writes a whole RPC packet (type 0x03) with <paramref name="payload"/>.</summary>
    public static void WriteCommand(IBufferWriter<byte> output, ImprovCommand command, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > ImprovLimits.MaxData - 2)
            throw new ArgumentException($"an Improv command's payload is at most {ImprovLimits.MaxData - 2} bytes", nameof(payload));
        Span<byte> data = stackalloc byte[payload.Length + 2];
        data[0] = (byte)command;
        data[1] = (byte)payload.Length;
        payload.CopyTo(data[2..]);
        ImprovFrame.Write(output, ImprovPacketType.Rpc, data);
    }

    /// <summary>Writes the "send Wi-Fi settings" command: <c>ssidLen ssid pwLen pw</c>.</summary>
    public static void WriteWifiSettings(IBufferWriter<byte> output, string ssid, string password)
    {
        var ssidBytes = Encoding.UTF8.GetBytes(ssid);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        if (ssidBytes.Length is 0 or > ImprovLimits.MaxSsidBytes)
            throw new ArgumentException($"an SSID is 1 to {ImprovLimits.MaxSsidBytes} bytes of UTF-8", nameof(ssid));
        if (passwordBytes.Length > ImprovLimits.MaxPasswordBytes)
            throw new ArgumentException($"a Wi-Fi password is at most {ImprovLimits.MaxPasswordBytes} bytes", nameof(password));
        Span<byte> payload = stackalloc byte[2 + ssidBytes.Length + passwordBytes.Length];
        payload[0] = (byte)ssidBytes.Length;
        ssidBytes.CopyTo(payload[1..]);
        payload[1 + ssidBytes.Length] = (byte)passwordBytes.Length;
        passwordBytes.CopyTo(payload[(2 + ssidBytes.Length)..]);
        WriteCommand(output, ImprovCommand.SendWifiSettings, payload);
        payload.Clear(); // the password does not linger on the stack
    }

    /// <summary>Reads an RPC result's command and strings from a result packet's data.</summary>
    public static bool TryParseResult(ReadOnlySpan<byte> data, out ImprovCommand command, out string[] strings)
    {
        command = default;
        strings = [];
        if (data.Length < 2) return false;
        command = (ImprovCommand)data[0];
        var inner = data[1];
        if (data.Length < 2 + inner) return false;
        var list = new List<string>();
        var body = data.Slice(2, inner);
        while (!body.IsEmpty)
        {
            var n = body[0];
            if (body.Length < 1 + n) return false;
            list.Add(Encoding.UTF8.GetString(body.Slice(1, n)));
            body = body[(1 + n)..];
        }
        strings = [.. list];
        return true;
    }

    /// <summary>Device side: reads the command and its payload from an RPC packet's data.</summary>
    public static bool TryParseCommand(ReadOnlySpan<byte> data, out ImprovCommand command, out byte[] payload)
    {
        command = default;
        payload = [];
        if (data.Length < 2 || data.Length < 2 + data[1]) return false;
        command = (ImprovCommand)data[0];
        payload = data.Slice(2, data[1]).ToArray();
        return true;
    }

    /// <summary>Device side: reads the SSID and password of a "send Wi-Fi settings" payload.</summary>
    public static bool TryParseWifiSettings(ReadOnlySpan<byte> payload, out string ssid, out string password)
    {
        ssid = password = "";
        if (payload.Length < 1 || payload.Length < 2 + payload[0]) return false;
        var ssidLength = payload[0];
        var passwordLength = payload[1 + ssidLength];
        if (payload.Length < 2 + ssidLength + passwordLength) return false;
        ssid = Encoding.UTF8.GetString(payload.Slice(1, ssidLength));
        password = Encoding.UTF8.GetString(payload.Slice(2 + ssidLength, passwordLength));
        return true;
    }

    /// <summary>Device side: writes a result packet (type 0x04). <paramref name="extraZero"/> adds
    /// the trailing 0x00 that ESPHome counts in the outer length.</summary>
    public static void WriteResult(IBufferWriter<byte> output, ImprovCommand command, IReadOnlyList<string> strings, bool extraZero = false)
    {
        var encoded = strings.Select(Encoding.UTF8.GetBytes).ToArray();
        var inner = encoded.Sum(s => 1 + s.Length);
        if (inner > ImprovLimits.MaxData - 3 || encoded.Any(s => s.Length > 255))
            throw new ArgumentException("an Improv result does not fit in one packet", nameof(strings));
        var data = new byte[2 + inner + (extraZero ? 1 : 0)];
        data[0] = (byte)command;
        data[1] = (byte)inner;
        var at = 2;
        foreach (var s in encoded)
        {
            data[at++] = (byte)s.Length;
            s.CopyTo(data, at);
            at += s.Length;
        }
        ImprovFrame.Write(output, ImprovPacketType.RpcResult, data);
    }
}
