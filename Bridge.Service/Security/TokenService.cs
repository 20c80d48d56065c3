using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bridge.Service.Security;

/// <summary>Mints and verifies the bridge's tokens: compact JWS (ES256) signed by the bridge's key,
/// so a relay can verify them with the public key but cannot make them.
/// With a <see cref="TokenStore"/>, every minted token is recorded (not its text) and revoked ones are refused.</summary>
public sealed class TokenService(BridgeIdentity identity, TimeProvider time, TokenStore? store = null)
{
    private static readonly byte[] HeaderPrefix = Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"");

    public string Mint(string name, TokenScope scope, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var jti = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var header = new ArrayBufferWriter<byte>();
        header.Write(HeaderPrefix);
        header.Write(Encoding.UTF8.GetBytes(identity.Id + "\"}"));
        var payload = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(payload))
        {
            w.WriteStartObject();
            w.WriteString("iss", identity.Id);
            w.WriteString("sub", name);
            w.WriteString("scope", TokenScopes.Name(scope));
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
            w.WriteString("jti", jti);
            w.WriteEndObject();
        }
        var signingInput = Base64Url.EncodeToString(header.WrittenSpan) + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        var signature = identity.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        store?.Record(new IssuedToken(jti, name, scope, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
            DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds()), Revoked: false));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Checks signature, issuer, expiry and revocation. Never throws on bad input.</summary>
    public bool TryVerify(string? token, out AccessToken? claims, out string problem)
    {
        claims = null;
        problem = "";
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            problem = "no token";
            return false;
        }
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot)
        {
            problem = "not a token";
            return false;
        }
        try
        {
            var signature = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
            if (!identity.Key.VerifyData(Encoding.ASCII.GetBytes(token, 0, lastDot), signature, HashAlgorithmName.SHA256))
            {
                problem = "bad signature";
                return false;
            }
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)));
            var r = doc.RootElement;
            var iss = r.GetProperty("iss").GetString();
            if (iss != identity.Id)
            {
                problem = "token of another bridge";
                return false;
            }
            if (!TokenScopes.TryParse(r.GetProperty("scope").GetString(), out var scope))
            {
                problem = "unknown scope";
                return false;
            }
            var exp = DateTimeOffset.FromUnixTimeSeconds(r.GetProperty("exp").GetInt64());
            if (exp <= time.GetUtcNow())
            {
                problem = "expired";
                return false;
            }
            var jti = r.GetProperty("jti").GetString() ?? "";
            if (store is not null && store.IsRevoked(jti))
            {
                problem = "revoked";
                return false;
            }
            claims = new AccessToken(iss, r.GetProperty("sub").GetString() ?? "", scope,
                DateTimeOffset.FromUnixTimeSeconds(r.GetProperty("iat").GetInt64()), exp, jti);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            problem = "malformed token";
            return false;
        }
    }
}
