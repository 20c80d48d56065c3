using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Api;

/// <summary>Pairing over real HTTP, and the admin ops that list and revoke tokens over the WebSocket.</summary>
public sealed class PairingApiTests
{
    private static Uri PairUri(TestBridge bridge) => new(bridge.Url.Replace("ws://", "http://").Replace("/api/v1/ws", "/api/v1/pair"));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PairAsync(HttpClient http, TestBridge bridge, object body)
    {
        using var response = await http.PostAsJsonAsync(PairUri(bridge), body);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, json);
    }

    [Fact]
    public async Task A_guesser_on_another_address_gets_429_while_the_installer_still_pairs()
    {
        await using var bridge = await TestBridge.StartAsync(null, true);
        using var attacker = RawUpgrade.ClientFrom(System.Net.IPAddress.Parse("127.0.0.2"));
        var codes = bridge.App.Services.GetRequiredService<PairingCodes>();
        var wrong = codes.Current == "123456" ? "654321" : "123456";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await PairAsync(attacker, bridge, new { code = wrong, name = "guess" })).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        using var installer = new HttpClient();
        var (status, body) = await PairAsync(installer, bridge, new { code = codes.Current, name = "Dad's phone" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bridge.App.BridgeId, body.GetProperty("bridge").GetString());
    }

    [Fact]
    public async Task The_printed_code_buys_a_control_token_once_and_wrong_codes_get_403_then_429()
    {
        var logs = new LogCapture();
        await using var bridge = await TestBridge.StartAsync(null, true, s => s.AddSingleton<ILoggerProvider>(logs));
        using var http = new HttpClient();
        var code = bridge.App.Services.GetRequiredService<PairingCodes>().Current;

        var (status, body) = await PairAsync(http, bridge, new { code, name = "Mum's phone" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bridge.App.BridgeId, body.GetProperty("bridge").GetString());
        var token = body.GetProperty("token").GetString()!;
        await using (var client = await ApiClient.ConnectAsync(bridge.Url, token))
        {
            JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
            JsonAssert.Error(await client.RequestAsync(new { op = "tokens" }), "forbidden");
        }

        (status, body) = await PairAsync(http, bridge, new { code, name = "again" });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", body.GetProperty("error").GetProperty("code").GetString());

        (status, body) = await PairAsync(http, bridge, new { name = "no code" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetProperty("code").GetString());

        var wrong = bridge.App.Services.GetRequiredService<PairingCodes>().Current == "123456" ? "654321" : "123456";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await PairAsync(http, bridge, new { code = wrong, name = "guess" })).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        (status, body) = await PairAsync(http, bridge, new { code = bridge.App.Services.GetRequiredService<PairingCodes>().Current, name = "late" });
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("busy", body.GetProperty("error").GetProperty("code").GetString());

        Assert.DoesNotContain(code, logs.AllText);
        Assert.DoesNotContain(token.Split('.')[2], logs.AllText);
    }

    [Fact]
    public async Task A_refused_pairing_sends_the_json_error_body_byte_for_byte()
    {
        await using var bridge = await TestBridge.StartAsync(null, false);
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(PairUri(bridge), new { name = "no code" });
        await RefusalAssert.BodyAsync(response, HttpStatusCode.BadRequest,
            """{"ok":false,"error":{"code":"bad_request","message":"'code' (a string) is missing"}}""");
    }

    [Fact]
    public async Task An_admin_lists_tokens_without_their_text_and_a_revoked_token_is_refused()
    {
        await using var bridge = await TestBridge.StartAsync();
        var phone = bridge.App.MintToken("phone", TokenScope.Control);
        await using var admin = await bridge.ConnectAsync(TokenScope.Admin);
        await using var victim = await ApiClient.ConnectAsync(bridge.Url, phone);
        JsonAssert.Ok(await victim.RequestAsync(new { op = "ping" }));

        var list = await admin.RequestAsync(new { op = "tokens" });
        JsonAssert.Ok(list);
        Assert.DoesNotContain(phone.Split('.')[2], list.GetRawText());
        var entry = list.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "phone");
        Assert.Equal("control", entry.GetProperty("scope").GetString());
        Assert.False(entry.GetProperty("revoked").GetBoolean());
        Assert.True(entry.GetProperty("expires").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        JsonAssert.Ok(await admin.RequestAsync(new { op = "revoke", jti = entry.GetProperty("jti").GetString() }));
        JsonAssert.Error(await admin.RequestAsync(new { op = "revoke", jti = "nope" }), "bad_request");
        JsonAssert.Error(await admin.RequestAsync(new { op = "revoke" }), "bad_request");
        var again = (await admin.RequestAsync(new { op = "tokens" })).GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "phone");
        Assert.True(again.GetProperty("revoked").GetBoolean());

        // The session open at the time is dropped, and the token cannot connect again.
        await Infrastructure.Wait.UntilAsync(() => victim.State != System.Net.WebSockets.WebSocketState.Open, TimeSpan.FromSeconds(5), "the revoked session to end");
        var refused = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => ApiClient.ConnectAsync(bridge.Url, phone));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", phone);
        using var response = await http.GetAsync(bridge.Url.Replace("ws://", "http://"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("revoked", await response.Content.ReadAsStringAsync());
    }
}
