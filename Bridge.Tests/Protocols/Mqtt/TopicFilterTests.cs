using Bridge.Protocols.Mqtt;
using Bridge.Service.Mqtt;

namespace Bridge.Tests.Protocols.Mqtt;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("stat/+/+", "stat/lamp/RESULT", true)]
    [InlineData("stat/+/+", "stat/lamp", false)]
    [InlineData("stat/+/+", "stat/lamp/a/b", false)]
    [InlineData("tele/+/LWT", "tele/x/LWT", true)]
    [InlineData("tele/+/LWT", "tele/x/STATE", false)]
    [InlineData("tasmota/discovery/+/config", "tasmota/discovery/AABBCCDDEEFF/config", true)]
    [InlineData("+/online", "shelly-1/online", true)]
    [InlineData("+/online", "a/b/online", false)]
    [InlineData("+/events/rpc", "shelly-1/events/rpc", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "anything/at/all", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/bc", false)]
    [InlineData("a/+", "a/", true)]
    [InlineData("devicebridge-x/rpc", "devicebridge-x/rpc", true)]
    public void Matches_like_a_broker(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));
}
