using System.Collections.Concurrent;
using Bridge.Service.Household;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Household;

/// <summary>The household file under kill -9, out of process: the bridge is killed while clients
/// are saving scenes and comes back with every saved scene (or a newer one that was on its way),
/// never a damaged file. A damaged file stops it with exit code 2.</summary>
public sealed class HouseholdCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("household-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BridgeProcess Start() => BridgeProcess.Start("--demo", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");

    [Fact]
    public async Task Killed_while_saving_it_comes_back_with_every_acknowledged_scene()
    {
        // For each scene id: the newest version acknowledged, and the newest version sent.
        var acknowledged = new ConcurrentDictionary<string, int>();
        var sent = new ConcurrentDictionary<string, int>();
        for (var round = 0; round < 3; round++)
        {
            await using var bridge = Start();
            await bridge.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
            await using (var client = await ApiClient.ConnectAsync(bridge.ApiUrl!, bridge.Token!))
            {
                await CheckSurvivorsAsync(client, acknowledged, sent);
                var acks = 0;
                var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var savers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (var i = 0; ; i++)
                    {
                        var id = $"scene-{w}-{i % 10}";
                        var version = sent.AddOrUpdate(id, 1, (_, v) => v + 1);
                        try
                        {
                            var reply = await client.RequestAsync(new
                            {
                                op = "scene_save",
                                scene = new { id, name = $"v{version}", actions = new[] { new { device = "lamp-1", state = new { brightness = 1 + version % 100 } } } },
                            }, TimeSpan.FromSeconds(5));
                            JsonAssert.Ok(reply);
                            acknowledged.AddOrUpdate(id, version, (_, v) => Math.Max(v, version));
                            if (Interlocked.Increment(ref acks) >= 40 + 20 * round) enough.TrySetResult();
                        }
                        catch (Exception e) when (e is TimeoutException or System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException)
                        {
                            return; // the bridge is gone
                        }
                    }
                })).ToArray();
                await enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
                // Saves are still streaming in: kill -9 lands in the middle of one, or between two.
                bridge.Kill9();
                await bridge.WaitExitAsync(TimeSpan.FromSeconds(20));
                await Task.WhenAll(savers).WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        await using var last = Start();
        await last.WaitReadyAsync(expectToken: true, TimeSpan.FromSeconds(60));
        await using var check = await ApiClient.ConnectAsync(last.ApiUrl!, last.Token!);
        await CheckSurvivorsAsync(check, acknowledged, sent);
    }

    /// <summary>Each scene is there at a version no older than its last acknowledged save and no newer than its last sent one.</summary>
    private static async Task CheckSurvivorsAsync(ApiClient client, IReadOnlyDictionary<string, int> acknowledged, IReadOnlyDictionary<string, int> sent)
    {
        var scenes = (await client.RequestAsync(new { op = "scenes" })).GetProperty("scenes").EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetString()!, s => int.Parse(s.GetProperty("name").GetString()![1..]));
        foreach (var (id, version) in acknowledged)
        {
            Assert.True(scenes.TryGetValue(id, out var stored), $"acknowledged scene {id} is gone");
            Assert.InRange(stored, version, sent[id]);
        }
    }

    [Fact]
    public async Task A_damaged_file_stops_the_bridge_with_exit_code_2_and_a_clear_message()
    {
        var path = Path.Combine(_dir, HouseholdFile.FileName);
        const string damaged = """{"version":1,"devices":{},"scenes":[],"timers":[{"id":"heater-morning","at":"06:3""";
        File.WriteAllText(path, damaged);
        await using var bridge = BridgeProcess.Start("--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={_dir}");
        Assert.Equal(2, await bridge.WaitExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(path + " is damaged", bridge.Output);
        Assert.Contains("move it away", bridge.Output);
        Assert.DoesNotContain("Local API:", bridge.Output);
        Assert.Equal(damaged, File.ReadAllText(path));
    }
}
