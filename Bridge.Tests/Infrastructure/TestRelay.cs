using Bridge.Relay.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Infrastructure;

/// <summary>A real relay node in-process on a free loopback port.</summary>
public sealed class TestRelay : IAsyncDisposable
{
    private TestRelay(RelayApp app) => App = app;

    public RelayApp App { get; }
    public string Url => App.Url;
    public int Port => new Uri(Url).Port;

    public string ClientUrl(string bridgeId) => $"{Url}/api/v1/bridges/{bridgeId}/ws";
    public string HttpUrl(string path) => Url.Replace("ws://", "http://") + path;

    public static async Task<TestRelay> StartAsync(int port = 0, Action<IServiceCollection>? services = null, params string[] extra)
    {
        var problems = new List<string>();
        var args = new List<string> { "--Relay:Bind=127.0.0.1", $"--Relay:Port={port}" };
        args.AddRange(extra);
        var app = RelayApp.Create(args.ToArray(), problems, services) ?? throw new InvalidOperationException(string.Join("; ", problems));
        await app.StartAsync();
        return new TestRelay(app);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
