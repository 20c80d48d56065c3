using System.Buffers.Text;
using System.Net;
using System.Text;
using Bridge.Relay.Backplane;
using Bridge.Service.Relay;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Relay.Clients;

/// <summary>Every bad way in is refused by the relay with 401/403/404, and nothing reaches a bridge:
/// each bridge counts the sessions it was asked to open.</summary>
public sealed class RelayIsolationTests : IAsyncLifetime
{
    private readonly LogCapture _relayLogs = new();
    private readonly LogCapture _bridgeLogs = new();
    private TestRelay _relay = null!;
    private TestBridge _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(_relayLogs));
        _a = await RelayedBridge.StartAsync(_relay.Url, s => s.AddSingleton<ILoggerProvider>(_bridgeLogs));
        _b = await RelayedBridge.StartAsync(_relay.Url);
        await Task.WhenAll(_a.WaitConnectedAsync(), _b.WaitConnectedAsync());
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _relay.DisposeAsync();
    }

    public static TheoryData<string> Cases => ["right", "other_bridge", "forged", "expired", "revoked", "missing", "garbage", "unknown_bridge", "bad_bridge_id"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_the_right_token_for_the_right_bridge_gets_through(string variant)
    {
        var bridgeId = _a.App.BridgeId;
        string? token = variant switch
        {
            "right" => _a.Token(),
            "other_bridge" => _b.Token(),
            "forged" => Forge(_a.Token()),
            "expired" => _a.App.MintToken("old", TokenScope.Admin, TimeSpan.FromSeconds(-5)),
            "revoked" => await RevokedTokenAsync(),
            "missing" => null,
            // Its last part is no word a log line could hold by chance (it was "token", which a secret
            // store's log line names), so the check below is about this token and nothing else.
            "garbage" => "not.a.Zq7vX3kP9wLm",
            _ => _a.Token(),
        };
        if (variant == "unknown_bridge") bridgeId = "aaaaaaaaaaaaaaaa";
        if (variant == "bad_bridge_id") bridgeId = "..%2F..";

        var counters = _a.App.Services.GetRequiredService<RelayCounters>();
        var opensBefore = counters.Opens;
        using var http = new HttpClient();
        if (token is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.GetAsync(_relay.HttpUrl($"/api/v1/bridges/{bridgeId}/ws"));
        var expected = variant switch
        {
            "right" => HttpStatusCode.BadRequest, // a valid token, but not a WebSocket upgrade
            "other_bridge" => HttpStatusCode.Forbidden,
            "unknown_bridge" or "bad_bridge_id" => HttpStatusCode.NotFound,
            _ => HttpStatusCode.Unauthorized,
        };
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"ok\":false", await response.Content.ReadAsStringAsync());

        if (variant == "right")
        {
            await using var client = await ApiClient.ConnectAsync(_relay.ClientUrl(bridgeId), token!);
            JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
        }
        else
        {
            await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() =>
                token is null ? ConnectWithoutTokenAsync(_relay.ClientUrl(bridgeId)) : ApiClient.ConnectAsync(_relay.ClientUrl(bridgeId), token));
            // Nothing reached the bridge: it was never asked to open a session.
            Assert.Equal(opensBefore, counters.Opens);
            Assert.Equal(0, counters.Refused);
        }
        if (token is not null && token.Split('.').Length == 3)
        {
            Assert.DoesNotContain(token.Split('.')[2], _relayLogs.AllText);
            Assert.DoesNotContain(token.Split('.')[2], _bridgeLogs.AllText);
        }
    }

    [Fact]
    public async Task A_refusal_carries_the_apis_json_error_body_byte_for_byte()
    {
        using var http = new HttpClient();
        using var unknown = await http.GetAsync(_relay.HttpUrl("/api/v1/bridges/aaaaaaaaaaaaaaaa/ws"));
        await RefusalAssert.BodyAsync(unknown, HttpStatusCode.NotFound,
            """{"ok":false,"error":{"code":"unknown_bridge","message":"this relay has never seen that bridge"}}""");
        using var missing = await http.GetAsync(_relay.HttpUrl($"/api/v1/bridges/{_a.App.BridgeId}/ws"));
        await RefusalAssert.BodyAsync(missing, HttpStatusCode.Unauthorized,
            """{"ok":false,"error":{"code":"unauthorized","message":"no token"}}""");
    }

    [Fact]
    public async Task A_second_key_cannot_take_a_registered_bridge_id()
    {
        var backplane = _relay.App.Services.GetRequiredService<IRelayBackplane>();
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.False(await backplane.TryRegisterAsync(_a.App.BridgeId, stranger.ExportSubjectPublicKeyInfo()));
        // The real bridge still gets through with its own tokens.
        await using var client = await ApiClient.ConnectAsync(_relay.ClientUrl(_a.App.BridgeId), _a.Token());
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    private async Task<string> RevokedTokenAsync()
    {
        var token = _a.App.MintToken("soon-revoked", TokenScope.Control);
        Assert.True(_a.App.Services.GetRequiredService<TokenService>().TryVerify(token, out var claims, out _));
        var revocations = _a.App.Services.GetRequiredService<TokenStore>();
        Assert.True(revocations.Revoke(claims!.TokenId));
        var backplane = _relay.App.Services.GetRequiredService<IRelayBackplane>();
        await Infrastructure.Wait.UntilAsync(() => backplane.IsRevoked(_a.App.BridgeId, claims.TokenId), TimeSpan.FromSeconds(5), "the revocation to reach the relay");
        return token;
    }

    /// <summary>Same header and claims, another signature: what someone without the key could make.</summary>
    private static string Forge(string token)
    {
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"scope\":\"control\"", "\"scope\":\"admin\"");
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var input = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        var sig = other.SignData(Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA256);
        return input + "." + Base64Url.EncodeToString(sig);
    }

    private static async Task ConnectWithoutTokenAsync(string url)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri(url), CancellationToken.None);
    }
}
