using Bridge.Protocols.Api;
using Bridge.Service.Api;
using Bridge.Service.Api.Ops;
using Bridge.Service.Security;

namespace Bridge.Tests.Service.Api;

public class ApiDispatcherTests
{
    private sealed class OtherPing : IApiOp
    {
        public string Name => "ping";
        public TokenScope Scope => TokenScope.Control;
        public ValueTask HandleAsync(ApiSession session, ApiRequest request) => ValueTask.CompletedTask;
    }

    [Fact]
    public void Two_ops_with_one_name_are_refused_at_start_naming_both()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ApiDispatcher([new PingOp(), new OtherPing()]));
        Assert.Contains("'ping'", e.Message);
        Assert.Contains(nameof(PingOp), e.Message);
        Assert.Contains(nameof(OtherPing), e.Message);
    }

    [Fact]
    public void The_table_holds_every_registered_op()
    {
        var dispatcher = new ApiDispatcher([new PingOp(), new SubscribeOp()]);
        Assert.Equal(["ping", "subscribe"], dispatcher.Names.Order());
    }
}
