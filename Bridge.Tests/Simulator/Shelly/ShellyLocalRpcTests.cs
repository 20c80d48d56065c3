using Bridge.Simulator.Home;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bridge.Simulator;
using Bridge.Simulator.Shelly;

namespace Bridge.Tests.Simulator.Shelly;

/// <summary>A simulated Shelly's local RPC over HTTP, as the bridge (or curl) sees it: both request forms,
/// MQTT settings that take effect only after a reboot, and the scenario keys that make such a device.</summary>
public sealed class ShellyLocalRpcTests : IAsyncLifetime
{
    private const string Id = "shellyplusplugs-a8032ab0c0c0";
    private readonly ShellyPlug _plug = new(Id, "Desk plug");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ShellyHttpRpc _rpc = null!;

    public async Task InitializeAsync()
    {
        _plug.DisableMqtt();
        _rpc = await ShellyHttpRpc.StartAsync(_plug);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _plug.DisposeAsync();
        await _rpc.DisposeAsync();
    }

    private string Url(string path) => $"http://{_rpc.EndPoint}{path}";

    private async Task<JsonElement> PostAsync(string method, object? parameters = null)
    {
        using var response = await _http.PostAsJsonAsync(Url("/rpc"), new { id = 7, src = "tester", method, @params = parameters });
        Assert.True(response.IsSuccessStatusCode);
        var frame = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, frame.GetProperty("id").GetInt32());
        Assert.Equal(Id, frame.GetProperty("src").GetString());
        return frame;
    }

    [Fact]
    public async Task The_GET_form_answers_with_the_bare_result_and_errors_with_status_500()
    {
        var info = await _http.GetFromJsonAsync<JsonElement>(Url("/rpc/Shelly.GetDeviceInfo"));
        Assert.Equal(Id, info.GetProperty("id").GetString());
        Assert.Equal("PlusPlugS", info.GetProperty("app").GetString());

        await _http.GetAsync(Url("/rpc/Switch.Set?id=0&on=true"));
        Assert.Equal("on", _plug.Snapshot()["power"]);

        using var bad = await _http.GetAsync(Url("/rpc/Switch.Set?id=3&on=true"));
        Assert.Equal(500, (int)bad.StatusCode);
        Assert.Equal(-105, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_bad_MQTT_setting_is_refused_whole_and_a_good_one_needs_a_restart()
    {
        var refused = await PostAsync("MQTT.SetConfig", new { config = new { enable = true, server = "127.0.0.1:1883", topic_prefix = "#bad" } });
        Assert.Equal(-103, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(_plug.MqttConfig.Enable);

        var accepted = await PostAsync("MQTT.SetConfig", new { config = new { enable = true, server = "127.0.0.1:1883", user = "bridge", pass = "s3cret" } });
        Assert.True(accepted.GetProperty("result").GetProperty("restart_required").GetBoolean());
        var config = (await PostAsync("MQTT.GetConfig")).GetProperty("result");
        Assert.Equal("127.0.0.1:1883", config.GetProperty("server").GetString());
        Assert.False(config.TryGetProperty("pass", out _)); // write-only, as on a real device
        Assert.False(_plug.IsConnected);
    }

    [Fact]
    public async Task After_a_reboot_it_connects_to_the_configured_broker_under_its_topic_prefix()
    {
        await using var broker = await SimBroker.StartAsync();
        await using var watch = await broker.ObserveAsync("kitchen/plug/online");
        await PostAsync("MQTT.SetConfig", new { config = new { enable = true, server = $"{SimBroker.Host}:{broker.Port}", topic_prefix = "kitchen/plug" } });
        var rebooted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _plug.Rebooted += () => rebooted.TrySetResult();

        var reply = await PostAsync("Shelly.Reboot");

        Assert.Equal(JsonValueKind.Null, reply.GetProperty("result").ValueKind);
        await rebooted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("true", (await watch.WaitForAsync("kitchen/plug/online")).Text);
        Assert.True(_plug.IsConnected);
    }

    [Fact]
    public async Task An_ignoring_device_leaves_the_request_unanswered()
    {
        _plug.Faults.IgnoreCommands = true;
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _http.PostAsync(Url("/rpc"), new StringContent("""{"id":1,"src":"t","method":"Shelly.GetDeviceInfo"}""", Encoding.UTF8, "application/json"), patience.Token));
    }

    [Fact]
    public void A_scenario_makes_unadopted_Shellies_and_rejects_Shelly_keys_on_other_devices()
    {
        var home = SimulatedHome.FromScenario("""{"devices":[{"protocol":"shelly","type":"plug","id":"p1","adopted":false,"faults":{"refuse_reboot":true}}]}""");
        var plug = Assert.IsType<ShellyPlug>(home["p1"]);
        Assert.False(plug.MqttConfig.Enable);
        Assert.True(plug.ServesLocalRpc);
        Assert.True(plug.RpcFaults.RefuseReboot);

        var e = Assert.Throws<InvalidDataException>(() => SimulatedHome.FromScenario(
            """{"devices":[{"protocol":"tasmota","type":"relay_plug","id":"t1","adopted":false}]}"""));
        Assert.Contains("shelly devices only", e.Message);
    }
}
