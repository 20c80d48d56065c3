using Bridge.Protocols.Api;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Drivers;

/// <summary>Where drivers publish commands over MQTT (Tasmota, Shelly): the boundary at which the
/// link's failure becomes the command's. The MQTT link knows nothing of commands (it is a
/// transport, and Drivers use it, not the other way round); users see device_offline with the
/// link's reason, as they always have.</summary>
public static class MqttCommandPublishing
{
    /// <summary>Publishes a command; fails with <see cref="CommandFailedException"/> (device_offline) when the link is unavailable.</summary>
    public static Task PublishCommandAsync(this IMqttLink link, string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Task publish;
        try
        {
            publish = link.PublishAsync(topic, payload, ct);
        }
        catch (MqttLinkUnavailableException e)
        {
            return Task.FromException(Translated(e));
        }
        // The link writes on the calling thread, so nearly every publish has finished here: it is
        // handed back as it is, with no state machine on the command path.
        return publish.IsCompletedSuccessfully ? publish : TranslateAsync(publish);
    }

    private static async Task TranslateAsync(Task publish)
    {
        try
        {
            await publish.ConfigureAwait(false);
        }
        catch (MqttLinkUnavailableException e)
        {
            throw Translated(e);
        }
    }

    /// <summary>An unavailable link means the device can't be reached now.</summary>
    private static CommandFailedException Translated(MqttLinkUnavailableException e) =>
        new(new CommandFailure(ErrorCodes.DeviceOffline, e.Message), e);
}
