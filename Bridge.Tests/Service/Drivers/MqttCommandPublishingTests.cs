using Bridge.Service.Drivers;
using Bridge.Service.Mqtt;

namespace Bridge.Tests.Service.Drivers;

/// <summary>The MQTT link throws its own exception; where a driver publishes, it becomes the
/// command failure users have always seen: device_offline with the link's reason, word for word.</summary>
public sealed class MqttCommandPublishingTests
{
    [Theory]
    [InlineData("the MQTT broker is not running")]
    [InlineData("the MQTT broker is unreachable")]
    public async Task An_unavailable_link_fails_the_command_as_device_offline_with_the_links_reason(string reason)
    {
        var link = new FailingLink(new MqttLinkUnavailableException(reason));

        var e = await Assert.ThrowsAsync<CommandFailedException>(() => link.PublishCommandAsync("cmnd/lamp-1/POWER", "ON"u8.ToArray(), CancellationToken.None));

        Assert.Equal("device_offline", e.Failure.Code);
        Assert.Equal(reason, e.Failure.Message);
        Assert.Equal(reason, e.Message);
    }

    [Fact]
    public async Task Cancellation_passes_through_untranslated()
    {
        var link = new FailingLink(new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(() => link.PublishCommandAsync("cmnd/lamp-1/POWER", "ON"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task A_publish_the_link_carries_reaches_it_unchanged()
    {
        var link = new FailingLink(null);

        await link.PublishCommandAsync("cmnd/lamp-1/POWER", "ON"u8.ToArray(), CancellationToken.None);

        Assert.Equal(("cmnd/lamp-1/POWER", "ON"), link.Published);
    }

    /// <summary>A link whose every publish throws <paramref name="failure"/> (or, when null, is recorded).</summary>
    private sealed class FailingLink(Exception? failure) : IMqttLink
    {
        public (string Topic, string Payload)? Published { get; private set; }
        public bool IsConnected => failure is null;
        public event Action<bool>? ConnectionChanged { add { } remove { } }

        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
        {
            if (failure is not null) return Task.FromException(failure);
            Published = (topic, System.Text.Encoding.UTF8.GetString(payload.Span));
            return Task.CompletedTask;
        }

        public void Subscribe(string filter, Action<MqttMessage> handler) { }
    }
}
