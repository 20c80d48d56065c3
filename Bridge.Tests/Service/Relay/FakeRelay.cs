using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Bridge.Protocols.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Relay;

/// <summary>A relay that misbehaves on purpose: it accepts a bridge's link (checking the handshake the
/// real way) and then lets the test send any envelope, as a compromised relay could.</summary>
public sealed class FakeRelay : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly TaskCompletionSource<WebSocket> _linked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();

    private FakeRelay(WebApplication web) => _web = web;

    public string Url
    {
        get
        {
            var address = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return "ws://127.0.0.1:" + new Uri(address).Port;
        }
    }

    public static async Task<FakeRelay> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var web = builder.Build();
        var relay = new FakeRelay(web);
        web.UseWebSockets();
        web.Map("/api/v1/bridge", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.NewChallenge(out var nonce)), WebSocketMessageType.Text, true, default);
            var answer = Encoding.UTF8.GetString(await ReadAsync(socket));
            Assert.True(RelayHandshake.TryVerifyAnswer(answer, nonce, out var key, out _));
            await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.Accepted(BridgeIds.Of(key))), WebSocketMessageType.Text, true, default);
            relay._linked.TrySetResult(socket);
            try
            {
                while (socket.State == WebSocketState.Open) relay._received.Writer.TryWrite(await ReadAsync(socket));
            }
            catch (WebSocketException) { }
            await relay._done.Task;
        });
        await web.StartAsync();
        return relay;
    }

    public async Task SendAsync(EnvelopeKind kind, uint session, string payload)
    {
        var socket = await _linked.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await socket.SendAsync(RelayEnvelope.Create(kind, session, Encoding.UTF8.GetBytes(payload)), WebSocketMessageType.Binary, true, default);
    }

    /// <summary>The next envelope from the bridge for <paramref name="session"/>, skipping heartbeats and revocation lists.</summary>
    public async Task<(EnvelopeKind Kind, byte[] Payload)> NextAsync(uint session)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            if (RelayEnvelope.TryRead(message, out var kind, out var id, out var payload) && id == session) return (kind, payload.ToArray());
        }
    }

    private static async Task<byte[]> ReadAsync(WebSocket socket)
    {
        var buffer = new byte[1 << 20];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), default);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException("closed");
        return buffer[..length];
    }

    public async ValueTask DisposeAsync()
    {
        _done.TrySetResult();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _web.StopAsync(stop.Token);
        await _web.DisposeAsync();
    }
}
