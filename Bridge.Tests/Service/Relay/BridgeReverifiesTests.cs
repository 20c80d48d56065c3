using System.Text;
using Bridge.Protocols.Relay;
using Bridge.Service.Relay;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Relay;

/// <summary>A relay cannot open a session on its own say-so: the bridge checks the client's token
/// itself, whatever the relay forwards.</summary>
public sealed class BridgeReverifiesTests
{
    [Fact]
    public async Task A_session_opened_without_a_valid_token_is_refused_by_the_bridge()
    {
        await using var relay = await FakeRelay.StartAsync();
        await using var bridge = await RelayedBridge.StartAsync(relay.Url);
        await bridge.WaitConnectedAsync();
        await using var other = await TestBridge.StartAsync();

        var refusals = new[] { "", "garbage", other.Token(TokenScope.Admin), bridge.App.MintToken("old", TokenScope.Admin, TimeSpan.FromSeconds(-1)) };
        for (var i = 0; i < refusals.Length; i++)
        {
            var session = (uint)(10 + i);
            await relay.SendAsync(EnvelopeKind.Open, session, refusals[i]);
            await relay.SendAsync(EnvelopeKind.Text, session, "{\"id\":\"1\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"power\":\"on\"}}");
            var (kind, payload) = await relay.NextAsync(session);
            Assert.Equal(EnvelopeKind.Close, kind);
            Assert.Equal(4401, RelayEnvelope.ReadClose(payload).Code);
        }
        Assert.Equal("off", bridge.Home["lamp-1"].Snapshot()["power"]);
        Assert.Equal(refusals.Length, bridge.App.Services.GetRequiredService<RelayCounters>().Refused);

        // Frames for a session that was never opened go nowhere; a properly opened one works.
        await relay.SendAsync(EnvelopeKind.Text, 99, "{\"id\":\"x\",\"op\":\"ping\"}");
        await relay.SendAsync(EnvelopeKind.Open, 1, bridge.Token());
        await relay.SendAsync(EnvelopeKind.Text, 1, "{\"id\":\"p\",\"op\":\"ping\"}");
        var (okKind, okPayload) = await relay.NextAsync(1);
        Assert.Equal(EnvelopeKind.Text, okKind);
        Assert.Equal("{\"id\":\"p\",\"ok\":true}", Encoding.UTF8.GetString(okPayload));
    }
}
