using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.OutOfProcess;

/// <summary>The commands of CONTRACT.md, as separate processes: the relay prints its URL, the bridge
/// prints "Relay: connected" on every (re)connection, and a killed relay is redialled.</summary>
public sealed class RelayProcessTests
{
    [Fact]
    public async Task A_demo_bridge_process_links_to_a_relay_process_and_relinks_after_the_relay_is_killed()
    {
        var data = Directory.CreateTempSubdirectory("bridge-relay-proc-").FullName;
        try
        {
            int port;
            await using (var relay = await RelayProcess.StartAsync("--Relay:Port=0"))
            {
                port = new Uri(relay.Url!).Port;
                await using var bridge = BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={data}",
                    $"--Relay:Url={relay.Url}", "--Relay:ReconnectMin=00:00:00.05", "--Relay:ReconnectMax=00:00:00.5");
                await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
                await Wait.UntilAsync(() => System.Text.RegularExpressions.Regex.IsMatch(bridge.Output, @"(?m)^Pairing code: \d{6}$"),
                    TimeSpan.FromSeconds(20), "Pairing code line");
                await Wait.UntilAsync(() => Count(bridge.Output, "Relay: connected") == 1, TimeSpan.FromSeconds(20), "Relay: connected");

                await using (var client = await ApiClient.ConnectAsync($"{relay.Url}/api/v1/bridges/{bridge.BridgeId}/ws", bridge.Token!))
                    JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }));

                await relay.DisposeAsync(); // kill -9
                await using var again = await RelayProcess.StartAsync($"--Relay:Port={port}");
                await Wait.UntilAsync(() => Count(bridge.Output, "Relay: connected") == 2, TimeSpan.FromSeconds(20), "a second Relay: connected");
                await using var back = await ApiClient.ConnectAsync($"{again.Url}/api/v1/bridges/{bridge.BridgeId}/ws", bridge.Token!);
                JsonAssert.Ok(await back.RequestAsync(new { op = "ping" }));
                Assert.DoesNotContain(bridge.Token!.Split('.')[2], again.Output);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_relay_setting_is_reported_and_the_relay_exits_2()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bridge.Relay.dll"));
        info.ArgumentList.Add("--Relay:Port=99999");
        info.ArgumentList.Add("--Relay:Bind=nowhere");
        using var process = System.Diagnostics.Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Relay:Port", errors);
        Assert.Contains("Relay:Bind", errors);
    }

    private static int Count(string text, string line) => text.Split('\n').Count(l => l.TrimEnd() == line);
}
