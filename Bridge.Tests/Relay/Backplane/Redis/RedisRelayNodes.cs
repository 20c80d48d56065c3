using System.Net;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Relay.Backplane.Redis;

/// <summary>Relay nodes sharing one Redis, and what tests ask of them.</summary>
public static class RedisRelayNodes
{
    /// <summary>A short ownership expiry, so a node's departure is noticed within a second or so.</summary>
    public static Task<TestRelay> StartAsync(string redis) =>
        TestRelay.StartAsync(0, null, $"--Relay:Redis={redis},connectTimeout=2000", "--Relay:OwnershipTtl=00:00:03");

    /// <summary>Asks <paramref name="relay"/> for a WebSocket upgrade to a bridge, as a client would,
    /// and returns the refusal's status and body (101 and "" when the upgrade was accepted).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> UpgradeAsync(TestRelay relay, string bridgeId, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, relay.HttpUrl($"/api/v1/bridges/{bridgeId}/ws"));
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode == HttpStatusCode.SwitchingProtocols
            ? (response.StatusCode, "")
            : (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<string> MetricsAsync(TestRelay relay)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(relay.HttpUrl("/metrics"));
    }
}
