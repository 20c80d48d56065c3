using Bridge.Simulator.Mqtt;
using MQTTnet.Protocol;

namespace Bridge.Simulator;

/// <summary>A device's connection life: connect and announce, go offline abruptly, come back,
/// reconnect by itself after losing the broker, and a clean shutdown.</summary>
public abstract partial class SimulatedDevice
{
    /// <summary>Remembers the broker without connecting (for a device that starts offline).</summary>
    public void UseBroker(string host, int port)
    {
        _host = host;
        _port = port;
    }

    /// <summary>Joins the home's broker: remembers it, and connects and announces unless switched off at the
    /// wall (<see cref="StartOffline"/>) or its MQTT is off (<see cref="ConnectsOnStart"/>).</summary>
    public virtual async Task StartAsync(HomeNetwork network, CancellationToken ct = default)
    {
        UseBroker(network.BrokerHost, network.BrokerPort);
        if (!StartOffline && ConnectsOnStart) await ConnectAsync(network.BrokerHost, network.BrokerPort, ct).ConfigureAwait(false);
    }

    /// <summary>Connects to the broker and announces the device; returns once announced.</summary>
    public async Task ConnectAsync(string host, int port, CancellationToken ct = default)
    {
        _host = host;
        _port = port;
        _offline = false;
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!IsConnected) await ConnectAndTellAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Abrupt connection loss (no MQTT DISCONNECT): the broker publishes the device's will.
    /// The device stays away until <see cref="ComeBackAsync"/>.</summary>
    public async Task GoOfflineAsync()
    {
        _offline = true;
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            var link = _link;
            _link = null;
            if (link is null) return;
            link.Kill();
            await link.DisposeAsync().ConfigureAwait(false);
            ConnectionChanged?.Invoke(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Reconnects after <see cref="GoOfflineAsync"/> and announces again; returns once announced.</summary>
    public async Task ComeBackAsync()
    {
        if (_host is null) throw new InvalidOperationException($"Device '{Id}' was never connected.");
        _offline = false;
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!IsConnected) await ConnectAndTellAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task ConnectCoreAsync(CancellationToken ct)
    {
        var link = new DeviceLink(_host!, _port, ClientId, Account, WillTopic, WillPayload, OnMessageAsync, OnLinkLost);
        try
        {
            await link.ConnectAsync(CommandFilter, CommandQos, ct).ConfigureAwait(false);
            ConnectCount++;
            _link = link;
            await AnnounceAsync(link, ct).ConfigureAwait(false);
        }
        catch
        {
            if (ReferenceEquals(_link, link)) _link = null;
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ConnectAndTellAsync(CancellationToken ct)
    {
        await ConnectCoreAsync(ct).ConfigureAwait(false);
        ConnectionChanged?.Invoke(true);
    }

    private void OnLinkLost(DeviceLink link)
    {
        if (!ReferenceEquals(_link, link) || _offline || Volatile.Read(ref _disposed) != 0) return;
        if (Interlocked.Exchange(ref _reconnecting, 1) != 0) return;
        _ = ReconnectLoopAsync();
        ConnectionChanged?.Invoke(false);
    }

    private async Task ReconnectLoopAsync()
    {
        try
        {
            while (!_offline && !_stopping.IsCancellationRequested)
            {
                await Task.Delay(ReconnectDelay, Time, _stopping.Token).ConfigureAwait(false);
                await _lifecycle.WaitAsync(_stopping.Token).ConfigureAwait(false);
                try
                {
                    if (_offline || IsConnected) return;
                    if (_link is { } old)
                    {
                        _link = null;
                        await old.DisposeAsync().ConfigureAwait(false);
                    }
                    await ConnectAndTellAsync(_stopping.Token).ConfigureAwait(false);
                    return;
                }
                catch (Exception) when (!_stopping.IsCancellationRequested)
                {
                    // Broker still away: try again after the delay, as devices do.
                }
                finally
                {
                    _lifecycle.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _reconnecting, 0);
        }
    }

    /// <summary>Announces the offline state itself (as a device shutting down cleanly does) and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        await DisposeCoreAsync().ConfigureAwait(false);
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            var link = _link;
            _link = null;
            if (link is null) return;
            if (link.IsConnected)
            {
                try
                {
                    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await link.PublishAsync(WillTopic, WillPayload, MqttQualityOfServiceLevel.AtLeastOnce, retain: true, patience.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (DeviceLink.IsConnectionLoss(e) || !link.IsConnected)
                {
                    // The broker is already gone: it publishes the will itself, or nobody is left to tell.
                }
                await link.CloseAsync().ConfigureAwait(false);
            }
            await link.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
        GC.SuppressFinalize(this);
    }
}
