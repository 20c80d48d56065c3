using System.Net;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Api;

/// <summary>The WebSocket endpoint's refusals before the upgrade, pinned to the bytes they send.</summary>
public sealed class ApiEndpointTests
{
    [Fact]
    public async Task No_token_gets_401_and_a_plain_request_with_a_token_gets_400_each_with_its_json_body()
    {
        await using var bridge = await TestBridge.StartAsync(null, false);
        var url = bridge.Url.Replace("ws://", "http://");
        using var http = new HttpClient();

        using (var missing = await http.GetAsync(url))
            await RefusalAssert.BodyAsync(missing, HttpStatusCode.Unauthorized,
                """{"ok":false,"error":{"code":"unauthorized","message":"no token"}}""");

        http.DefaultRequestHeaders.Authorization = new("Bearer", bridge.Token());
        using (var plain = await http.GetAsync(url))
            await RefusalAssert.BodyAsync(plain, HttpStatusCode.BadRequest,
                """{"ok":false,"error":{"code":"bad_request","message":"this endpoint speaks WebSocket"}}""");
    }
}
