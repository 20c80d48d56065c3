using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Integration;

/// <summary>What the log says, and what it must never say.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task A_device_spewing_garbage_earns_one_warning_not_a_flood()
    {
        var logs = new LogCapture();
        await using var bridge = await TestBridge.StartAsync(null, true, s => s.AddSingleton<ILoggerProvider>(logs));
        await using var client = await bridge.ConnectAsync();
        for (var i = 0; i < 5; i++) await bridge.Home["lamp-1"].SendMalformedAsync();
        // A command round trip through the same device proves the garbage was processed.
        Assert.True((await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 12 } })).GetProperty("ok").GetBoolean());
        // Reports and replies may travel on different topics, so the garbage can still be on its way
        // when the reply arrives: wait for its warning, then prove no second one came.
        List<(LogLevel Level, string Category, string Text)> Warnings() =>
            logs.Events.Where(e => e.Level == LogLevel.Warning && e.Text.Contains("malformed") && e.Text.Contains("lamp-1")).ToList();
        await Wait.UntilAsync(() => Warnings().Count > 0, TimeSpan.FromSeconds(10), "the malformed-payload warning");
        await bridge.Home["lamp-1"].SendMalformedAsync();
        Assert.True((await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 13 } })).GetProperty("ok").GetBoolean());
        Assert.Single(Warnings());
    }

    [Fact]
    public async Task Two_bridges_in_one_process_each_log_to_their_own_providers()
    {
        var first = new LogCapture();
        var second = new LogCapture();
        await using var a = await TestBridge.StartAsync(null, true, s => s.AddSingleton<ILoggerProvider>(first));
        await using var b = await TestBridge.StartAsync(null, true, s => s.AddSingleton<ILoggerProvider>(second));
        // A logger the first bridge creates only now, after the second was built (as sessions and
        // lazily made services do), must still write to the first bridge's log.
        a.App.Services.GetRequiredService<ILogger<LoggingTests>>().LogWarning("marker from the first bridge");
        Assert.Contains(first.Events, e => e.Text.Contains("marker from the first bridge"));
        Assert.DoesNotContain(second.Events, e => e.Text.Contains("marker from the first bridge"));
    }

    [Fact]
    public async Task Tokens_and_the_signing_key_never_reach_the_log()
    {
        var logs = new LogCapture();
        await using var bridge = await TestBridge.StartAsync(null, true, s => s.AddSingleton<ILoggerProvider>(logs));
        var token = bridge.Token();
        await using (var client = await ApiClient.ConnectAsync(bridge.Url, token, viaQuery: true))
        {
            Assert.True((await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } })).GetProperty("ok").GetBoolean());
            await client.SendRawAsync("{\"id\":\"" + token + "\",\"op\":\"nope\"}");
        }
        var forged = token[..^6] + "AAAAAA";
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => ApiClient.ConnectAsync(bridge.Url, forged, viaQuery: true));

        using var identity = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bridge.DataDir, "identity.json")));
        var key = identity.RootElement.GetProperty("key").GetString()!;
        var all = logs.AllText;
        Assert.NotEmpty(logs.Events);
        Assert.DoesNotContain(token.Split('.')[2], all);
        Assert.DoesNotContain(forged.Split('.')[2], all);
        Assert.DoesNotContain(key[..32], all);
    }
}
