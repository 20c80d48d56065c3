using System.Buffers;
using System.Text;
using Bridge.Protocols.Model;
using Bridge.Service.Drivers.Tasmota;

namespace Bridge.Tests.Service.Drivers.Tasmota;

/// <summary>What a Tasmota device publishes, read into capability values through the shipped profiles.</summary>
public sealed class TasmotaReportReaderTests
{
    private static Dictionary<string, string>? Read(string profile, string json)
    {
        var into = new List<KeyValuePair<string, StateValue>>();
        var ok = TasmotaReportReader.TryReadJson(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), TasmotaMapping.For(ShippedProfiles.Get(profile)), into);
        return ok ? ShippedProfiles.Texts(into) : null;
    }

    [Fact]
    public void A_result_gives_power_brightness_and_kelvin_from_mireds()
    {
        var state = Read("tasmota-ct-light", """{"POWER":"ON","Dimmer":42,"CT":370}""")!;
        Assert.Equal("on", state["power"]);
        Assert.Equal("42", state["brightness"]);
        Assert.Equal("2703", state["color_temp"]);
    }

    [Fact]
    public void Keys_in_any_case_are_read_and_what_the_profile_does_not_map_is_left_out()
    {
        var state = Read("tasmota-ct-light", """{"power":"off","DIMMER":7,"Wifi":{"RSSI":80}}""")!;
        Assert.Equal(new Dictionary<string, string> { ["power"] = "off", ["brightness"] = "7" }, state);
    }

    [Fact]
    public void A_value_the_profile_does_not_know_is_left_out_not_guessed()
    {
        var state = Read("tasmota-ct-light", """{"POWER":"TOGGLE","Dimmer":"lots","CT":null}""")!;
        Assert.Empty(state);
    }

    [Fact]
    public void Sensor_readings_inside_StatusSNS_are_found_by_name_and_rounded()
    {
        var state = Read("tasmota-thermostat-water-heater", """{"StatusSNS":{"Time":"2026-12-02T10:00:00","DS18B20":{"Temperature":48.04}}}""")!;
        Assert.Equal("48", state["current_temperature"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"ON\"")]
    [InlineData("{\"POWER\":")]
    public void A_payload_that_is_no_JSON_object_is_refused(string payload) => Assert.Null(Read("tasmota-ct-light", payload));
}
