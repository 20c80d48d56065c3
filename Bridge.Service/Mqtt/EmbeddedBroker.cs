using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace Bridge.Service.Mqtt;

/// <summary>The embedded MQTTnet broker, started when no external broker is configured.</summary>
public sealed class EmbeddedBroker(IOptions<MqttOptions> options, ILogger<EmbeddedBroker> log) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    /// <summary>The running server, for the in-process link.</summary>
    public MqttServer? Server => _server;

    /// <summary>The real port once started (a free one when configured as 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Embedded) return;
        var bind = IPAddress.Parse(o.Bind);
        Port = o.Port == 0 ? FreePort(bind) : o.Port;
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(bind)
            .WithDefaultEndpointPort(Port)
            .WithMaxPendingMessagesPerClient(10_000)
            .Build();
        serverOptions.DefaultEndpointOptions.NoDelay = true;
        if (bind.AddressFamily == AddressFamily.InterNetwork)
            serverOptions.DefaultEndpointOptions.BoundInterNetworkV6Address = IPAddress.None;
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        await _server.StartAsync().ConfigureAwait(false);
        log.LogInformation("Embedded MQTT broker listening on {Address}:{Port}", bind, Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true }) await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
    }

    private static int FreePort(IPAddress bind)
    {
        using var listener = new TcpListener(bind, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }
}
