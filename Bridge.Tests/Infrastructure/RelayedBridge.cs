using Bridge.Service.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Infrastructure;

/// <summary>Demo bridges linked to a relay, with fast redialling so tests do not wait on back-off.</summary>
public static class RelayedBridge
{
    public static Task<TestBridge> StartAsync(string relayUrl, Action<IServiceCollection>? services = null) =>
        TestBridge.StartAsync(null, true, services, $"--Relay:Url={relayUrl}", "--Relay:ReconnectMin=00:00:00.05", "--Relay:ReconnectMax=00:00:00.5");

    public static RelayLink Link(this TestBridge bridge) => bridge.App.Services.GetRequiredService<RelayLink>();

    /// <summary>Completes when the link has connected at least <paramref name="times"/> times.</summary>
    public static Task WaitConnectedAsync(this TestBridge bridge, int times = 1)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var link = bridge.Link();
        link.OnConnected(() =>
        {
            if (link.Connects >= times) done.TrySetResult();
        });
        return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
