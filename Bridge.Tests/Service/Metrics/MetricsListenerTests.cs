using System.Net;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Metrics;

/// <summary><c>/metrics</c> and <c>/healthz</c>: unauthenticated, counts only (no device's id or name), on the
/// local API's port or on their own (<c>Metrics:Bind</c>, <c>Metrics:Port</c>).</summary>
public sealed class MetricsListenerTests
{
    private static readonly string[] DemoNames = ["lamp-1", "Living room lamp", "shellydimmerg3-84fce63ad204", "Kettle plug", "ac-1", "water-heater-1"];

    private static Uri Http(string wsUrl, string path) => new(new Uri(wsUrl.Replace("ws://", "http://")), path);

    [Fact]
    public async Task By_default_metrics_are_on_the_API_port_and_name_no_device()
    {
        await using var bridge = await TestBridge.StartAsync();
        using var http = new HttpClient();

        var metrics = await http.GetStringAsync(Http(bridge.Url, "/metrics"));

        Assert.Contains("bridge_devices_online", metrics);
        Assert.Matches(@"\nbridge_mqtt_accounts [1-9]", metrics);
        foreach (var name in DemoNames) Assert.DoesNotContain(name, metrics);
        Assert.Equal("ok\n", await http.GetStringAsync(Http(bridge.Url, "/healthz")));
    }

    [Fact]
    public async Task With_a_metrics_port_they_are_served_there_only_and_the_API_stays_where_it_was()
    {
        var port = FreePort.GetTcp();
        await using var bridge = await TestBridge.StartAsync(null, true, "--Metrics:Bind=127.0.0.1", $"--Metrics:Port={port}");
        using var http = new HttpClient();

        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Matches(@"\nbridge_devices_online [1-9]", metrics);
        foreach (var name in DemoNames) Assert.DoesNotContain(name, metrics);
        Assert.Equal("ok\n", await http.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{port}/api/v1/ws")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Http(bridge.Url, "/metrics"))).StatusCode);
        Assert.DoesNotContain($":{port}/", bridge.Url);
        await using var api = await bridge.ConnectAsync();
        JsonAssert.Ok(await api.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task A_metrics_address_that_is_no_address_stops_the_start()
    {
        var problems = new List<string>();
        Assert.Null(Bridge.Service.Hosting.BridgeApp.Create(["--Api:Port=0", "--Mqtt:Port=0", "--Metrics:Bind=everywhere", "--Metrics:Port=70000"], problems));
        Assert.Contains(problems, p => p.Contains("Metrics:Bind"));
        Assert.Contains(problems, p => p.Contains("Metrics:Port"));
    }
}
