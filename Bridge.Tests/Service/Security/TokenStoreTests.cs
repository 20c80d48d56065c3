using Bridge.Service.Security;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Security;

public sealed class TokenStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-tokens-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T06:00:00Z"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_revoked_token_stays_refused_after_a_restart_and_the_file_holds_no_token()
    {
        string token, jti;
        using (var identity = BridgeIdentity.LoadOrCreate(_dir))
        {
            var tokens = new TokenService(identity, _time, new TokenStore(_dir, _time));
            token = tokens.Mint("phone", TokenScope.Control, TimeSpan.FromDays(1));
            Assert.True(tokens.TryVerify(token, out var claims, out _));
            jti = claims!.TokenId;
        }
        using (var identity = BridgeIdentity.LoadOrCreate(_dir))
        {
            var store = new TokenStore(_dir, _time);
            var listed = Assert.Single(store.List());
            Assert.Equal(("phone", jti, false), (listed.Name, listed.Jti, listed.Revoked));
            var changed = 0;
            store.RevocationsChanged += () => changed++;
            Assert.True(store.Revoke(jti));
            Assert.Equal(1, changed);
            Assert.False(store.Revoke("no-such-jti"));
        }
        using (var identity = BridgeIdentity.LoadOrCreate(_dir))
        {
            var tokens = new TokenService(identity, _time, new TokenStore(_dir, _time));
            Assert.False(tokens.TryVerify(token, out _, out var problem));
            Assert.Equal("revoked", problem);
        }
        Assert.DoesNotContain(token.Split('.')[2], File.ReadAllText(Path.Combine(_dir, TokenStore.FileName)));
    }

    [Fact]
    public void Expired_entries_are_forgotten()
    {
        var store = new TokenStore(_dir, _time);
        store.Record(new IssuedToken("a", "old", TokenScope.Control, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(1), false));
        _time.Advance(TimeSpan.FromMinutes(2));
        store.Record(new IssuedToken("b", "new", TokenScope.Admin, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(1), false));
        Assert.Equal(["b"], store.List().Select(t => t.Jti));
        Assert.DoesNotContain("\"a\"", File.ReadAllText(Path.Combine(_dir, TokenStore.FileName)));
    }
}
