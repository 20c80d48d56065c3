using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bridge.Protocols.Relay;

public enum TokenVerdict { Valid, Unauthorized, Forbidden }

/// <summary>What the relay checks in a client's token with only the bridge's public key: the ES256
/// signature, the issuer, the expiry and the revocation list the bridge pushed. It can verify
/// tokens but cannot make them.</summary>
public static class TokenCheck
{
    public static TokenVerdict Verify(string? token, ECDsa publicKey, string bridgeId, DateTimeOffset now,
        Func<string, bool> isRevoked, out string problem) => Verify(token, publicKey, bridgeId, now, isRevoked, out problem, out _);

    public static TokenVerdict Verify(string? token, ECDsa publicKey, string bridgeId, DateTimeOffset now,
        Func<string, bool> isRevoked, out string problem, out string jti)
    {
        jti = "";
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            problem = "no token";
            return TokenVerdict.Unauthorized;
        }
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot)
        {
            problem = "not a token";
            return TokenVerdict.Unauthorized;
        }
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)));
            var r = doc.RootElement;
            // A token of another bridge is refused as such, before its signature is even checked.
            if (r.GetProperty("iss").GetString() != bridgeId)
            {
                problem = "token of another bridge";
                return TokenVerdict.Forbidden;
            }
            var signature = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
            if (!publicKey.VerifyData(Encoding.ASCII.GetBytes(token, 0, lastDot), signature, HashAlgorithmName.SHA256))
            {
                problem = "bad signature";
                return TokenVerdict.Unauthorized;
            }
            if (DateTimeOffset.FromUnixTimeSeconds(r.GetProperty("exp").GetInt64()) <= now)
            {
                problem = "expired";
                return TokenVerdict.Unauthorized;
            }
            jti = r.GetProperty("jti").GetString() ?? "";
            if (isRevoked(jti))
            {
                problem = "revoked";
                return TokenVerdict.Unauthorized;
            }
            problem = "";
            return TokenVerdict.Valid;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or CryptographicException or ArgumentException)
        {
            problem = "malformed token";
            return TokenVerdict.Unauthorized;
        }
    }
}
