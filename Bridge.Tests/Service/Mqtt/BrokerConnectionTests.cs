using System.Collections.Concurrent;
using System.Text;
using Bridge.Service.Mqtt;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Mqtt;

/// <summary>The bridge's own connection to an external broker (a real Mosquitto), named by host name
/// as a user writes it: every message of a burst arrives whole through the read-ahead
/// buffer, and what the bridge publishes reaches other clients intact.</summary>
public sealed class BrokerConnectionTests : IAsyncLifetime
{
    private MosquittoFixture _broker = null!;
    private TestBridge _bridge = null!;
    private IMqttLink _link = null!;

    public async Task InitializeAsync()
    {
        try
        {
            _broker = await MosquittoFixture.StartNewAsync();
            // "localhost" rather than an address: the connection provider resolves it and tries each address.
            _bridge = await TestBridge.StartAsync(demo: false, extra: [$"--Mqtt:Url=mqtt://localhost:{_broker.Port}"]);
            _link = _bridge.App.Services.GetRequiredService<IMqttLink>();
            await Wait.UntilAsync(() => _link.IsConnected, TimeSpan.FromSeconds(15), "the bridge connected to mosquitto by host name");
        }
        catch
        {
            // A broker left running when the set-up fails would outlive the test run; disposing twice is harmless.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_bridge is not null) await _bridge.DisposeAsync();
        _bridge = null!;
        if (_broker is not null) await _broker.DisposeAsync();
        _broker = null!;
    }

    [Fact]
    public async Task A_burst_of_200_messages_arrives_every_one_whole()
    {
        var received = new ConcurrentQueue<string>();
        var probed = 0;
        _link.Subscribe("burst/#", m =>
        {
            // Probes published while the subscription was being made may still arrive later: count them apart.
            if (m.Topic == "burst/probe") Interlocked.Increment(ref probed);
            else received.Enqueue(m.Topic + " " + Encoding.UTF8.GetString(m.Payload));
        });
        using var client = new MosquittoClient(_broker.Port);
        // The subscription is made in the background: knock until it is in place.
        await Wait.UntilAsync(async () =>
        {
            await client.PublishAsync("-t", "burst/probe", "-m", "probe");
            return Volatile.Read(ref probed) > 0;
        }, TimeSpan.FromSeconds(15), "the bridge's late subscription took effect");

        // 200 messages back to back: many arrive in one socket read and are split by MQTTnet's reads.
        var body = new string('x', 300);
        var (exit, output) = await client.PublishAsync("-t", "burst/many", "-m", body, "--repeat", "200");
        Assert.True(exit == 0, output);
        await Wait.UntilAsync(() => received.Count >= 200, TimeSpan.FromSeconds(15), "200 messages through the bridge's connection");
        Assert.All(received, m => Assert.Equal("burst/many " + body, m));
        Assert.Equal(200, received.Count);
    }

    [Fact]
    public async Task What_the_bridge_publishes_reaches_other_clients_intact()
    {
        using var client = new MosquittoClient(_broker.Port);
        using var sub = client.Subscribe("-t", "out/#", "-v");
        var payload = string.Concat(Enumerable.Range(0, 500).Select(i => (char)('a' + i % 26)));
        // mosquitto_sub subscribes in the background too: publish until it prints the message.
        await Wait.UntilAsync(async () =>
        {
            await _link.PublishAsync("out/whole", Encoding.UTF8.GetBytes(payload), CancellationToken.None);
            return sub.Output.Contains("out/whole " + payload, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "mosquitto_sub received the bridge's message whole");
    }
}
