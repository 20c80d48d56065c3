using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace Bridge.Tests.Simulator;

/// <summary>An embedded MQTTnet broker on a free loopback port, for watching simulated devices from outside.</summary>
public sealed class SimBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly List<ClientDisconnectedEventArgs> _disconnects = [];

    private SimBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        _server.ClientDisconnectedAsync += e =>
        {
            lock (_disconnects)
            {
                _disconnects.Add(e);
                Monitor.PulseAll(_disconnects);
            }
            Disconnected?.Invoke(e);
            return Task.CompletedTask;
        };
    }

    public const string Host = "127.0.0.1";

    public int Port { get; }

    /// <summary>Raised when a client's connection ends, with how it ended (clean DISCONNECT or not).</summary>
    public event Action<ClientDisconnectedEventArgs>? Disconnected;

    /// <summary>Starts on <paramref name="port"/>, or on a free port when it is 0.</summary>
    public static async Task<SimBroker> StartAsync(int port = 0)
    {
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port == 0 ? FreePort() : port;
            var options = new MqttServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointPort(chosen)
                .WithDefaultEndpointReuseAddress()
                .Build();
            var server = new MqttServerFactory().CreateMqttServer(options);
            try
            {
                await server.StartAsync();
                return new SimBroker(server, chosen);
            }
            catch (SocketException) when (attempt < 5 && port == 0)
            {
                server.Dispose();
            }
        }
    }

    /// <summary>A plain MQTT client that records what it receives on <paramref name="filters"/>.</summary>
    public Task<MqttObserver> ObserveAsync(params string[] filters) => MqttObserver.ConnectAsync(Host, Port, filters);

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptions());
        _server.Dispose();
    }
}
