using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Simulator.Tasmota;

/// <summary>A fresh simulated Tasmota's HTTP command API as the bridge (or curl) sees it: JSON answers as the
/// firmware gives them, the web password, Backlog answered at once and run afterwards, and the restart after
/// new MQTT settings that brings the device onto that broker, announcing itself.</summary>
public sealed class TasmotaHttpApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private FreshTasmota _tasmota = null!;

    public async Task InitializeAsync()
    {
        _tasmota = await FreshTasmota.StartAsync(mac: "A4CF12D0E1F2");
        _tasmota.Device.BacklogDelay = TimeSpan.FromMilliseconds(20);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _tasmota.DisposeAsync();
    }

    private Task<JsonElement> CommandAsync(string command, string? query = null) =>
        _http.GetFromJsonAsync<JsonElement>($"http://{_tasmota.EndPoint}/cm?{query}{(query is null ? "" : "&")}cmnd={Uri.EscapeDataString(command)}");

    [Fact]
    public async Task A_fresh_Tasmota_has_its_default_names_and_no_broker()
    {
        Assert.Equal("tasmota_D0E1F2", _tasmota.Topic);
        Assert.Equal("tasmota-D0E1F2-0498", _tasmota.Hostname);
        var status = await CommandAsync("Status 0");
        Assert.Equal("tasmota_D0E1F2", status.GetProperty("Status").GetProperty("Topic").GetString());
        Assert.Equal("A4:CF:12:D0:E1:F2", status.GetProperty("StatusNET").GetProperty("Mac").GetString());
        Assert.Equal("tasmota-D0E1F2-0498", status.GetProperty("StatusNET").GetProperty("Hostname").GetString());
        Assert.Equal("", status.GetProperty("StatusMQT").GetProperty("MqttHost").GetString());
        Assert.False(_tasmota.Device.IsConnected);
    }

    [Fact]
    public async Task Commands_answer_with_their_result_and_unknown_ones_say_so()
    {
        Assert.Equal("ON", (await CommandAsync("Power on")).GetProperty("POWER").GetString());
        Assert.Equal("on", _tasmota.Device.Snapshot()["power"]);
        Assert.Equal("Unknown", (await CommandAsync("Frobnicate 3")).GetProperty("Command").GetString());
        var empty = await _http.GetFromJsonAsync<JsonElement>($"http://{_tasmota.EndPoint}/cm");
        Assert.Equal("Enter command cmnd=", empty.GetProperty("WARNING").GetString());
        Assert.Equal("****", (await CommandAsync("MqttPassword")).GetProperty("MqttPassword").GetString());
    }

    [Fact]
    public async Task With_a_web_password_only_admin_and_that_password_get_in()
    {
        _tasmota.Device.WebPassword = "s3cret-web";
        foreach (var query in new string?[] { null, "user=admin&password=wrong", "user=root&password=s3cret-web" })
        {
            var refused = await CommandAsync("Power on", query);
            Assert.Equal("Need user=<username>&password=<password>", refused.GetProperty("WARNING").GetString());
        }
        Assert.Equal("off", _tasmota.Device.Snapshot()["power"]);
        Assert.Equal("ON", (await CommandAsync("Power on", "user=admin&password=s3cret-web")).GetProperty("POWER").GetString());
    }

    [Fact]
    public async Task A_backlog_of_MQTT_settings_is_answered_at_once_then_restarts_the_device_onto_that_broker()
    {
        await using var broker = await SimBroker.StartAsync();
        await using var observer = await broker.ObserveAsync("tasmota/discovery/#", "tele/#");
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tasmota.Device.Restarted += () => restarted.TrySetResult();

        var answer = await CommandAsync($"Backlog MqttHost {SimBroker.Host}; MqttPort {broker.Port}; MqttUser plug-user; MqttPassword plug-pass; SetOption19 0");
        Assert.Equal("{}", answer.GetRawText());

        await Wait.ForAsync(restarted.Task, Patience, "the restart after the new MQTT settings");
        var config = await observer.WaitForAsync(m => m.Topic == "tasmota/discovery/A4CF12D0E1F2/config", timeout: Patience, what: "the discovery config");
        Assert.Equal("tasmota_D0E1F2", config.Json().GetProperty("t").GetString());
        Assert.Equal("tasmota-D0E1F2-0498", config.Json().GetProperty("hn").GetString());
        var settings = _tasmota.Device.ActiveMqttSettings;
        Assert.Equal((SimBroker.Host, broker.Port, "plug-user", "plug-pass"), (settings.Host, settings.Port, settings.User, settings.Password));
        Assert.Equal(1, _tasmota.Device.Restarts);
        Assert.Equal(SimBroker.Host, (await CommandAsync("Status 6")).GetProperty("StatusMQT").GetProperty("MqttHost").GetString());
    }

    [Fact]
    public async Task A_device_that_never_reconnects_restarts_but_stays_off_the_broker()
    {
        await using var broker = await SimBroker.StartAsync();
        _tasmota.Device.WebFaults.NeverReconnects = true;
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tasmota.Device.Restarted += () => restarted.TrySetResult();
        await CommandAsync($"Backlog MqttHost {SimBroker.Host}; MqttPort {broker.Port}");
        await Wait.ForAsync(restarted.Task, Patience, "the restart");
        Assert.False(_tasmota.Device.IsConnected);
        Assert.Equal(SimBroker.Host, _tasmota.Device.ActiveMqttSettings.Host);
    }

    [Fact]
    public async Task Garbage_answers_are_no_JSON()
    {
        _tasmota.Device.WebFaults.GarbageAnswers = true;
        var body = await _http.GetByteArrayAsync($"http://{_tasmota.EndPoint}/cm?cmnd=Status%200");
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }
}
