using System.Text;
using System.Text.Json;
using Bridge.Service.Drivers.Tasmota;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Service.Drivers.Tasmota;

/// <summary>Reading a Tasmota's <c>Status 0</c> answer (network input): what adoption needs from a real-shaped
/// answer, a clear problem for what lacks it, and never an exception whatever arrives.</summary>
public sealed class TasmotaWebStatusTests
{
    // The shape of a real Tasmota 14 answer, cut to the blocks adoption reads (and one it does not).
    private const string Sample = """
        {"Status":{"Module":0,"DeviceName":"Tasmota","FriendlyName":["Porch plug"],"Topic":"tasmota_9FAF38","ButtonTopic":"0","Power":"0","PowerOnState":3},
         "StatusFWR":{"Version":"14.4.1(release-tasmota)","Hardware":"ESP8266EX"},
         "StatusNET":{"Hostname":"tasmota-9FAF38-3896","IPAddress":"192.168.2.208","Mac":"14:2B:2F:9F:AF:38"},
         "StatusMQT":{"MqttHost":"","MqttPort":1883,"MqttClientMask":"DVES_%06X","MqttClient":"DVES_9FAF38","MqttUser":"DVES_USER","MqttCount":0}}
        """;

    [Fact]
    public void A_real_shaped_answer_gives_topic_MAC_names_and_broker()
    {
        using var doc = JsonDocument.Parse(Sample);
        Assert.True(TasmotaWebStatus.TryRead(doc.RootElement, out var status, out _));
        Assert.Equal(new TasmotaWebStatus("tasmota_9FAF38", "142B2F9FAF38", "tasmota-9FAF38-3896", "Porch plug", "", 1883), status);
    }

    [Theory]
    [InlineData("\"1883\"")]
    [InlineData("1883.5")]
    [InlineData("null")]
    public void A_broker_port_that_is_not_a_whole_number_reads_as_none(string port)
    {
        using var doc = JsonDocument.Parse("""{"Status":{"Topic":"t"},"StatusNET":{"Mac":"14:2B:2F:9F:AF:38"},"StatusMQT":{"MqttHost":"h","MqttPort":""" + port + "}}");
        Assert.True(TasmotaWebStatus.TryRead(doc.RootElement, out var status, out _));
        Assert.Equal(("h", 0), (status!.MqttHost, status.MqttPort));
    }

    [Theory]
    [InlineData("""{"StatusNET":{"Mac":"14:2B:2F:9F:AF:38"}}""", "no Status and StatusNET")]
    [InlineData("""{"Status":{"Topic":""},"StatusNET":{"Mac":"14:2B:2F:9F:AF:38"}}""", "names no Topic")]
    [InlineData("""{"Status":{"Topic":"t"},"StatusNET":{"Mac":"14:2B:2F:9F:AF"}}""", "12 hex digits")]
    [InlineData("""{"Status":{"Topic":"t"},"StatusNET":{"Mac":"ZZ:2B:2F:9F:AF:38"}}""", "12 hex digits")]
    [InlineData("""{"POWER":"ON"}""", "no Status and StatusNET")]
    public void An_answer_without_what_adoption_needs_says_what_is_missing(string json, string problem)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(TasmotaWebStatus.TryRead(doc.RootElement, out _, out var why));
        Assert.Contains(problem, why);
    }

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ":", ",", "\"Status\"", "\"StatusNET\"", "\"StatusMQT\"", "\"Topic\"", "\"Mac\"", "\"FriendlyName\"", "\"MqttPort\"",
        "\"MqttHost\"", "\"14:2B:2F:9F:AF:38\"", "\"t\"", "null", "1e999", "-1", "true", "[\"x\"]", "[null]", "[]", "{}", "\"\\ud800\"",
    ];

    [Fact]
    public void Reading_never_throws_whatever_JSON_arrives() =>
        Prop.ForAll(Gen.ListOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts)).ToArbitrary(), text =>
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
            }
            catch (JsonException)
            {
                return;
            }
            using (doc)
            {
                if (!TasmotaWebStatus.TryRead(doc.RootElement, out var status, out var problem)) Assert.False(string.IsNullOrEmpty(problem));
                else Assert.Equal(12, status!.Mac.Length);
            }
        }).QuickCheckThrowOnFailure();
}
