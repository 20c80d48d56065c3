using Bridge.Protocols.Api;
using Bridge.Service.Mqtt;

namespace Bridge.Service.Drivers;

/// <summary>Where drivers publish commands over MQTT (Tasmota, Shelly): the boundary at which the
/// link's failure becomes the command's. The MQTT link knows nothing of commands (it is a
/// transport, and Drivers use it, not the other way round); users see device_offline with the
/// link's reason, as they always have.</summary>
public static class MqttCommandPublishing
{
    /// <summary>Publishes a command; throws <see cref="CommandFailedException"/> (device_offline) when the link is unavailable.</summary>
    public static async Task PublishCommandAsync(this IMqttLink link, string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        try
        {
            await link.PublishAsync(topic, payload, ct).ConfigureAwait(false);
        }
        catch (MqttLinkUnavailableException e)
        {
            throw new CommandFailedException(Failure(e));
        }
    }

    /// <summary>The command failure an unavailable link means: the device can't be reached now.</summary>
    public static CommandFailure Failure(MqttLinkUnavailableException e) => new(ErrorCodes.DeviceOffline, e.Message);
}
