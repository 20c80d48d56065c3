using System.Text;
using MQTTnet;

namespace Bridge.Tests.Infrastructure;

public sealed class MosquittoFixtureTests : IClassFixture<MosquittoFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly MosquittoFixture _broker;

    public MosquittoFixtureTests(MosquittoFixture broker)
    {
        _broker = broker;
    }

    [Fact]
    public async Task PublishedMessageArrivesThroughTheBroker()
    {
        Assert.Equal($"mqtt://127.0.0.1:{_broker.Port}", _broker.Url);
        string topic = $"test/{Guid.NewGuid():N}";

        using IMqttClient subscriber = await ConnectAsync("sub");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == topic)
            {
                received.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            }

            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic).Build());

        using IMqttClient publisher = await ConnectAsync("pub");
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("hello").Build());

        Assert.Equal("hello", await Wait.ForAsync(received.Task, Timeout, "the message published through mosquitto"));
    }

    [Fact]
    public async Task AfterRestartClientsReconnectOnTheSamePort()
    {
        int port = _broker.Port;
        int starts = _broker.Starts;
        using IMqttClient client = await ConnectAsync("restart");
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };

        await _broker.StopAsync();
        Assert.False(_broker.IsRunning);
        await Wait.ForAsync(disconnected.Task, Timeout, "the client to notice that the broker stopped");
        Assert.False(await FreePort.IsAcceptingAsync(port, TimeSpan.FromSeconds(1)));

        await _broker.StartAsync();
        Assert.True(_broker.IsRunning);
        Assert.Equal(port, _broker.Port);
        Assert.Equal(starts + 1, _broker.Starts);

        await client.ConnectAsync(Options("restart"));
        string topic = $"test/{Guid.NewGuid():N}";
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("again").Build());
        Assert.Equal("again", await Wait.ForAsync(received.Task, Timeout, "a message after the restart"));

        // RestartAsync does both steps; the broker keeps its port.
        await _broker.RestartAsync();
        Assert.Equal(port, _broker.Port);
        using IMqttClient another = await ConnectAsync("after-restart");
        Assert.True(another.IsConnected);
    }

    [Fact]
    public void ConfigListensOnLoopbackOnlyWithoutPersistence()
    {
        string config = MosquittoFixture.CreateConfig(18830, runningAsRoot: false);
        Assert.Contains("listener 18830 127.0.0.1", config, StringComparison.Ordinal);
        Assert.Contains("allow_anonymous true", config, StringComparison.Ordinal);
        Assert.Contains("persistence false", config, StringComparison.Ordinal);
        Assert.DoesNotContain("user ", config, StringComparison.Ordinal);
        Assert.EndsWith("user root\n", MosquittoFixture.CreateConfig(18830, runningAsRoot: true), StringComparison.Ordinal);
    }

    private MqttClientOptions Options(string name) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId($"{name}-{Guid.NewGuid():N}")
            .WithTimeout(Timeout)
            .Build();

    private async Task<IMqttClient> ConnectAsync(string name)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(Options(name));
        return client;
    }
}
