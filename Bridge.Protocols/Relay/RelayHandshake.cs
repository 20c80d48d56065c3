using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bridge.Protocols.Relay;

/// <summary>How a bridge proves its identity to the relay, in text frames before any envelope:
/// relay → <c>{"nonce":"&lt;base64url, 32 random bytes&gt;"}</c>; bridge →
/// <c>{"key":"&lt;base64url SubjectPublicKeyInfo&gt;","sig":"&lt;base64url ES256 over Context + nonce&gt;"}</c>;
/// relay → <c>{"ok":true,"bridge":"&lt;id&gt;"}</c> or <c>{"ok":false,"error":"..."}</c> and a close.
/// A fresh nonce per connection makes a recorded answer useless; the context string keeps the
/// signature from meaning anything outside this handshake.</summary>
public static class RelayHandshake
{
    public const string Context = "devicebridge-relay-v1\n";
    public const int NonceBytes = 32;

    public static string NewChallenge(out string nonce)
    {
        nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(NonceBytes));
        return JsonSerializer.Serialize(new Dictionary<string, string> { ["nonce"] = nonce });
    }

    public static string? ReadNonce(string challenge)
    {
        try
        {
            using var doc = JsonDocument.Parse(challenge);
            return doc.RootElement.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Answer(ECDsa key, string nonce)
    {
        var signature = key.SignData(Encoding.ASCII.GetBytes(Context + nonce), HashAlgorithmName.SHA256);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["key"] = Base64Url.EncodeToString(key.ExportSubjectPublicKeyInfo()),
            ["sig"] = Base64Url.EncodeToString(signature),
        });
    }

    /// <summary>Checks an answer; on success <paramref name="publicKey"/> is the key that signed the nonce.</summary>
    public static bool TryVerifyAnswer(string answer, string nonce, out byte[] publicKey, out string problem)
    {
        publicKey = [];
        try
        {
            using var doc = JsonDocument.Parse(answer);
            var key = Base64Url.DecodeFromChars(doc.RootElement.GetProperty("key").GetString());
            var sig = Base64Url.DecodeFromChars(doc.RootElement.GetProperty("sig").GetString());
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key, out _);
            if (ecdsa.KeySize != 256)
            {
                problem = "the key must be ECDSA P-256";
                return false;
            }
            if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(Context + nonce), sig, HashAlgorithmName.SHA256))
            {
                problem = "the signature does not match the key";
                return false;
            }
            publicKey = key;
            problem = "";
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or CryptographicException or ArgumentException)
        {
            problem = "malformed answer";
            return false;
        }
    }

    public static string Accepted(string bridgeId) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["ok"] = true, ["bridge"] = bridgeId });

    public static string Refused(string error) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["ok"] = false, ["error"] = error });
}
