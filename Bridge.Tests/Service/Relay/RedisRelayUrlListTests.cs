using Bridge.Service.Relay;

namespace Bridge.Tests.Service.Relay;

/// <summary>A bridge may name several relay nodes (<c>Relay:Url</c>, comma-separated) and moves to the
/// next one on every redial.</summary>
public sealed class RedisRelayUrlListTests
{
    [Fact]
    public void Several_nodes_are_accepted_in_order_and_each_is_checked()
    {
        var good = new RelayOptions { Url = "ws://127.0.0.1:9001, wss://relay.example/" };
        Assert.Empty(good.Validate());
        Assert.Equal(["ws://127.0.0.1:9001/api/v1/bridge", "wss://relay.example/api/v1/bridge"], good.LinkUris.Select(u => u.ToString()));

        var bad = new RelayOptions { Url = "ws://127.0.0.1:9001,http://127.0.0.1:9002" };
        Assert.Contains(bad.Validate(), p => p.Contains("'http://127.0.0.1:9002'"));
        Assert.Contains(new RelayOptions { Url = " , " }.Validate(), p => p.StartsWith("Relay:Url names no relay"));
    }
}
