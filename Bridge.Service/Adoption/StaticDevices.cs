using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Adoption;

/// <summary>Devices declared in <c>Devices:Static</c>: listed by <c>discovered</c> as if found (source
/// <c>static</c>), and adopted at start when the declaration carries the credential (Key or Token)
/// their protocol needs. Adopting runs in the background: a device that is away never delays start.</summary>
public sealed class StaticDevices(
    IOptions<DevicesOptions> options,
    DiscoveredDevices discovered,
    AdopterRegistry adopters,
    ILogger<StaticDevices> log) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _adopting = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var d in options.Value.Static)
        {
            d.TryParseAddress(out var at);
            discovered.Found(new DiscoveredDevice(d.Id, d.Protocol, at.Address, at.Port, string.IsNullOrWhiteSpace(d.Name) ? d.Id : d.Name, "static"));
            var credential = !string.IsNullOrEmpty(d.Key) ? new AdoptCredential(AdoptCredential.Key, d.Key)
                : !string.IsNullOrEmpty(d.Token) ? new AdoptCredential(AdoptCredential.Token, d.Token) : null;
            if (credential is not null) _adopting.Add(AdoptAsync(d, credential, _stop.Token));
        }
        return Task.CompletedTask;
    }

    private async Task AdoptAsync(StaticDeviceOptions d, AdoptCredential credential, CancellationToken ct)
    {
        try
        {
            await Task.Yield();
            await adopters.AdoptAsync(d.Id, credential, ct).ConfigureAwait(false);
            log.LogInformation("Adopted the declared {Protocol} device {DeviceId}", d.Protocol, d.Id);
        }
        catch (AdoptFailedException e)
        {
            log.LogWarning("The declared {Protocol} device {DeviceId} was not adopted: {Reason}", d.Protocol, d.Id, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_adopting).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
