using System.Buffers;
using System.Text.Json;
using Bridge.Service.Data;

namespace Bridge.Service.Security;

/// <summary>One token the bridge has issued. The token text itself is never kept: holding this
/// record must not let anyone use the token.</summary>
public sealed record IssuedToken(string Jti, string Name, TokenScope Scope, DateTimeOffset IssuedAt, DateTimeOffset Expires, bool Revoked);

/// <summary>The tokens a bridge has issued and which of them are revoked, in <c>Data:Dir/tokens.json</c>
/// (written crash-safe, mode 0600). Expired entries are dropped on the next write: an expired token
/// is refused anyway, so its revocation no longer needs remembering.</summary>
public sealed class TokenStore
{
    public const string FileName = "tokens.json";

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, IssuedToken> _tokens;
    // Read on every token check without the lock; replaced whole on every change.
    private volatile HashSet<string> _revoked;

    public TokenStore(string dataDir, TimeProvider time)
    {
        _path = Path.Combine(dataDir, FileName);
        _time = time;
        _tokens = Load(_path);
        _revoked = RevokedOf(_tokens.Values);
    }

    /// <summary>Raised after a revocation, so the relay link can pass the news on at once.</summary>
    public event Action? RevocationsChanged;

    public bool IsRevoked(string jti) => _revoked.Contains(jti);

    /// <summary>The jtis of revoked tokens that have not expired yet.</summary>
    public IReadOnlyCollection<string> RevokedIds => _revoked;

    public void Record(IssuedToken token)
    {
        lock (_gate)
        {
            // Another process (the token command) may have written since we loaded.
            Merge(Load(_path));
            _tokens[token.Jti] = token;
            Save();
        }
    }

    public IReadOnlyList<IssuedToken> List()
    {
        lock (_gate)
        {
            Merge(Load(_path));
            var now = _time.GetUtcNow();
            return _tokens.Values.Where(t => t.Expires > now).OrderBy(t => t.IssuedAt).ToArray();
        }
    }

    /// <summary>Revokes the token with that jti; false when the bridge never issued it (or it expired).</summary>
    public bool Revoke(string jti)
    {
        lock (_gate)
        {
            Merge(Load(_path));
            if (!_tokens.TryGetValue(jti, out var token) || token.Expires <= _time.GetUtcNow()) return false;
            _tokens[jti] = token with { Revoked = true };
            Save();
            _revoked = RevokedOf(_tokens.Values);
        }
        RevocationsChanged?.Invoke();
        return true;
    }

    private void Merge(Dictionary<string, IssuedToken> onDisk)
    {
        foreach (var (jti, token) in onDisk)
        {
            // A revocation, once made, is never undone by a merge.
            if (_tokens.TryGetValue(jti, out var known)) _tokens[jti] = known with { Revoked = known.Revoked || token.Revoked };
            else _tokens[jti] = token;
        }
    }

    private void Save()
    {
        var now = _time.GetUtcNow();
        foreach (var expired in _tokens.Values.Where(t => t.Expires <= now).Select(t => t.Jti).ToArray()) _tokens.Remove(expired);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("tokens");
            foreach (var t in _tokens.Values)
            {
                w.WriteStartObject();
                w.WriteString("jti", t.Jti);
                w.WriteString("name", t.Name);
                w.WriteString("scope", TokenScopes.Name(t.Scope));
                w.WriteNumber("iat", t.IssuedAt.ToUnixTimeSeconds());
                w.WriteNumber("exp", t.Expires.ToUnixTimeSeconds());
                w.WriteBoolean("revoked", t.Revoked);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        SecureFile.WriteAtomically(_path, buffer.WrittenSpan, ownerOnly: true);
    }

    /// <summary>A file that cannot be read stops the bridge (fail closed): starting without it
    /// would silently un-revoke tokens.</summary>
    private static Dictionary<string, IssuedToken> Load(string path)
    {
        var tokens = new Dictionary<string, IssuedToken>(StringComparer.Ordinal);
        if (!File.Exists(path)) return tokens;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var t in doc.RootElement.GetProperty("tokens").EnumerateArray())
            {
                TokenScopes.TryParse(t.GetProperty("scope").GetString(), out var scope);
                var token = new IssuedToken(t.GetProperty("jti").GetString()!, t.GetProperty("name").GetString() ?? "", scope,
                    DateTimeOffset.FromUnixTimeSeconds(t.GetProperty("iat").GetInt64()),
                    DateTimeOffset.FromUnixTimeSeconds(t.GetProperty("exp").GetInt64()), t.GetProperty("revoked").GetBoolean());
                tokens[token.Jti] = token;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is damaged ({e.Message}); fix or remove it (removing it forgets revocations)", e);
        }
        return tokens;
    }

    private static HashSet<string> RevokedOf(IEnumerable<IssuedToken> tokens) =>
        tokens.Where(t => t.Revoked).Select(t => t.Jti).ToHashSet(StringComparer.Ordinal);
}
