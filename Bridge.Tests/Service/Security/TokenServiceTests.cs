using Bridge.Service.Security;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Security;

public sealed class TokenServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-id-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T06:00:00Z"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_minted_token_verifies_with_its_scope_until_it_expires()
    {
        using var identity = BridgeIdentity.LoadOrCreate(_dir);
        var tokens = new TokenService(identity, _time);
        var token = tokens.Mint("phone", TokenScope.Install, TimeSpan.FromHours(1));
        Assert.True(tokens.TryVerify(token, out var claims, out _));
        Assert.Equal(TokenScope.Install, claims!.Scope);
        Assert.Equal("phone", claims.Name);
        Assert.Equal(identity.Id, claims.BridgeId);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(tokens.TryVerify(token, out _, out var problem));
        Assert.Equal("expired", problem);
    }

    [Fact]
    public void The_identity_is_stable_across_restarts_and_another_bridge_cannot_verify_its_tokens()
    {
        string id, token;
        using (var identity = BridgeIdentity.LoadOrCreate(_dir))
        {
            id = identity.Id;
            token = new TokenService(identity, _time).Mint("a", TokenScope.Control, TimeSpan.FromDays(1));
        }
        using (var again = BridgeIdentity.LoadOrCreate(_dir))
        {
            Assert.Equal(id, again.Id);
            Assert.True(new TokenService(again, _time).TryVerify(token, out _, out _));
        }
        var other = Directory.CreateTempSubdirectory("bridge-id-").FullName;
        try
        {
            using var stranger = BridgeIdentity.LoadOrCreate(other);
            Assert.NotEqual(id, stranger.Id);
            Assert.False(new TokenService(stranger, _time).TryVerify(token, out _, out _));
        }
        finally
        {
            Directory.Delete(other, true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")]
    public void Garbage_tokens_are_refused_without_throwing(string token)
    {
        using var identity = BridgeIdentity.LoadOrCreate(_dir);
        Assert.False(new TokenService(identity, _time).TryVerify(token, out _, out var problem));
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void A_tampered_payload_fails_the_signature()
    {
        using var identity = BridgeIdentity.LoadOrCreate(_dir);
        var tokens = new TokenService(identity, _time);
        var parts = tokens.Mint("phone", TokenScope.Control, TimeSpan.FromHours(1)).Split('.');
        var admin = tokens.Mint("phone", TokenScope.Admin, TimeSpan.FromHours(1)).Split('.');
        Assert.False(tokens.TryVerify(parts[0] + "." + admin[1] + "." + parts[2], out _, out var problem));
        Assert.Equal("bad signature", problem);
    }
}
