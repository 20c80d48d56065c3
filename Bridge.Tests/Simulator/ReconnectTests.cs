using System.Net;
using System.Net.Sockets;
using Bridge.Simulator.Home;
using Bridge.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Simulator;

/// <summary>A device that loses the broker (not told to go offline) reconnects by itself after its
/// reconnect delay, on its TimeProvider, and announces itself again.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task Devices_reconnect_and_announce_after_the_broker_returns()
    {
        var time = new FakeTimeProvider();
        var broker = await SimBroker.StartAsync();
        var port = broker.Port;
        await using var home = SimulatedHome.Demo(time);
        await home.StartAsync(SimBroker.Host, port);
        var lamp = home["lamp-1"];
        var lost = Changed(lamp, false);
        await broker.DisposeAsync();
        await lost;
        Assert.False(lamp.IsConnected);

        await using var again = await SimBroker.StartAsync(port);
        await using var watch = await again.ObserveAsync("tele/lamp-1/LWT", "tasmota/discovery/+/config");
        var back = Changed(lamp, true);
        time.Advance(lamp.ReconnectDelay);
        await back;
        Assert.True(lamp.IsConnected);
        await watch.WaitForAsync(m => m.Topic == "tele/lamp-1/LWT" && m.Text == "Online");
        await watch.WaitForAsync(m => m.Text.Contains("\"t\":\"lamp-1\""));
    }

    [Fact]
    public async Task A_device_gives_up_on_a_peer_that_accepts_and_never_answers()
    {
        // A hung broker or a wrong port: the device's connect ends at its timeout (10 s), so its
        // reconnect loop can try again, even with a token that could be cancelled but is not.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        await using var home = SimulatedHome.Demo(new FakeTimeProvider());
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var connecting = home["lamp-1"].ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, patience.Token);
        using var peer = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(connecting, await Task.WhenAny(connecting, Task.Delay(TimeSpan.FromSeconds(30))));
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => connecting);
        Assert.Contains("no MQTT answer", failure.Message);
        Assert.False(home["lamp-1"].IsConnected);
    }

    private static Task Changed(SimulatedDevice device, bool connected)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.ConnectionChanged += up =>
        {
            if (up == connected) done.TrySetResult();
        };
        return done.Task.WaitAsync(MqttObserver.DefaultTimeout);
    }
}
