using System.Net;
using System.Net.Sockets;
using Bridge.Service.Mqtt.Accounts;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace Bridge.Service.Mqtt;

/// <summary>The embedded MQTTnet broker, started when no external broker is configured. It admits only
/// accounts (<see cref="BrokerAccessControl"/>) unless <c>Mqtt:AllowAnonymous</c> is set.</summary>
public sealed class EmbeddedBroker(IOptions<MqttOptions> options, BrokerAccessControl access, AccountBook accounts, ILogger<EmbeddedBroker> log) : IHostedService, IAsyncDisposable
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
        // Port 0: MQTTnet does not report the port it bound, so one is picked free and bound after.
        // In between, the OS can hand it to any outgoing connection of this process (a CI run once
        // lost a bridge that way): then pick again.
        for (var attempt = 1; ; attempt++)
        {
            Port = o.Port == 0 ? FreePort(bind) : o.Port;
            _server = CreateServer(bind, Port);
            try
            {
                await _server.StartAsync().ConfigureAwait(false);
                break;
            }
            catch (SocketException e) when (o.Port == 0 && e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 5)
            {
                _server.Dispose();
                log.LogDebug("The free port {Port} for the embedded broker was taken before it was bound; picking another", Port);
            }
        }
        log.LogInformation("Embedded MQTT broker listening on {Address}:{Port}", bind, Port);
        if (o.AllowAnonymous)
            log.LogWarning("Mqtt:AllowAnonymous is on: any client on the network may connect to the broker without an account, command every device and forge its reports; turn it off once devices have accounts");
        else
            log.LogInformation("Embedded MQTT broker admits {Count} accounts ({ByHand} by hand); clients without one are refused", accounts.Count, o.Accounts.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true }) await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
    }

    private MqttServer CreateServer(IPAddress bind, int port)
    {
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(bind)
            .WithDefaultEndpointPort(port)
            .WithMaxPendingMessagesPerClient(10_000)
            .Build();
        serverOptions.DefaultEndpointOptions.NoDelay = true;
        if (bind.AddressFamily == AddressFamily.InterNetwork)
            serverOptions.DefaultEndpointOptions.BoundInterNetworkV6Address = IPAddress.None;
        var server = new MqttServerFactory().CreateMqttServer(serverOptions);
        // Before the in-process link's own handler, so what is refused here never reaches the drivers.
        access.Attach(server);
        return server;
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
