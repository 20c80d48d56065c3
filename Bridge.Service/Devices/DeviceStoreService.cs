using System.Threading.Channels;

namespace Bridge.Service.Devices;

/// <summary>Restores saved devices at start and saves changes, coalesced over a short delay.</summary>
public sealed class DeviceStoreService(DeviceStore store, DeviceRegistry registry, TimeProvider time, ILogger<DeviceStoreService> log) : BackgroundService
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(500);
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var device in store.Load()) registry.Restore(device);
        registry.Changed += () => _dirty.Writer.TryWrite(true);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _dirty.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(Coalesce, time, stoppingToken).ConfigureAwait(false);
                _dirty.Reader.TryRead(out _);
                SaveNow();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        SaveNow();
    }

    private void SaveNow()
    {
        try
        {
            store.Save(registry.All());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogError("Saving known devices failed: {Reason}", e.Message);
        }
    }
}
