using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bridge.Service.Discovery;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The beacon for iOS WeChat, with a real UDP client: unicast to loopback everywhere,
/// broadcast only in the test network namespace.</summary>
public sealed class UdpBeaconTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private TestBridge _bridge = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _bridge = await TestBridge.StartAsync(null, true, "--Discovery:BeaconPort=0");
        _port = _bridge.App.Services.GetRequiredService<UdpBeacon>().Port;
        Assert.NotEqual(0, _port);
    }

    public async Task DisposeAsync() => await _bridge.DisposeAsync();

    [Fact]
    public async Task A_unicast_discover_gets_id_name_and_ws_url()
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var reply = await AskAsync(client, """{"op":"discover","id":"q1"}""", new IPEndPoint(IPAddress.Loopback, _port));
        Assert.Equal("bridge", reply.GetProperty("op").GetString());
        Assert.Equal("q1", reply.GetProperty("request").GetString());
        Assert.Equal(1, reply.GetProperty("v").GetInt32());
        Assert.Equal(_bridge.App.BridgeId, reply.GetProperty("id").GetString());
        Assert.Equal($"DeviceBridge-{_bridge.App.BridgeId}", reply.GetProperty("name").GetString());
        Assert.Equal(_bridge.Url, reply.GetProperty("ws").GetString());
        Assert.Equal(new Uri(_bridge.Url).Port, reply.GetProperty("port").GetInt32());
        Assert.Equal("/api/v1/ws", reply.GetProperty("path").GetString());
    }

    [Fact]
    public async Task The_ws_url_works_with_a_token()
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var reply = await AskAsync(client, """{"op":"discover"}""", new IPEndPoint(IPAddress.Loopback, _port));
        Assert.False(reply.TryGetProperty("request", out _));
        await using var api = await ApiClient.ConnectAsync(reply.GetProperty("ws").GetString()!, _bridge.Token());
        JsonAssert.Ok(await api.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Anything_else_gets_no_reply()
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var to = new IPEndPoint(IPAddress.Loopback, _port);
        foreach (var junk in new[] { "", "discover", "{\"op\":\"ping\"}", "[1,2]", "{\"op\":\"discover\"", new string('x', 600), "{\"op\":1}" })
            await client.SendAsync(Encoding.UTF8.GetBytes(junk), to);
        // The first reply to arrive must be the one to the real request sent last.
        var reply = await AskAsync(client, """{"op":"discover","id":"last"}""", to);
        Assert.Equal("last", reply.GetProperty("request").GetString());
    }

    [NetnsFact]
    public async Task A_broadcast_discover_is_answered_in_the_namespace()
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Any, 0)) { EnableBroadcast = true };
        var reply = await AskAsync(client, """{"op":"discover","id":"b"}""", new IPEndPoint(IPAddress.Broadcast, _port));
        Assert.Equal(_bridge.App.BridgeId, reply.GetProperty("id").GetString());
        Assert.Equal(_bridge.Url, reply.GetProperty("ws").GetString());
    }

    private static async Task<JsonElement> AskAsync(UdpClient client, string request, IPEndPoint to)
    {
        await client.SendAsync(Encoding.UTF8.GetBytes(request), to);
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            var received = await client.ReceiveAsync(cts.Token);
            return JsonDocument.Parse(received.Buffer).RootElement.Clone();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no beacon reply");
        }
    }
}
