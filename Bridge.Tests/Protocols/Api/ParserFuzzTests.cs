using System.Buffers;
using System.Text;
using Bridge.Protocols.Api;
using Bridge.Protocols.Shelly;
using Bridge.Protocols.Tasmota;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Protocols.Api;

/// <summary>Parsers of network input never throw, whatever arrives.</summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"id\"", "\"op\"", ":", ",", "\"set\"", "\"state\"", "{\"power\":\"on\"}", "null", "1e999", "-0",
        "\"\\u0000\"", "\"t\"", "\"mac\"", "\"rl\"", "[2,0]", "\"lt_st\"", "\"\\ud800\"", "true", "\"src\"", "\"result\"", "\"error\"",
    ];

    private static Gen<byte[]> JsonishBytes() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>(),
            Gen.ListOf(Gen.Elements(Fragments)).Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts))));

    [Fact]
    public void Api_request_parser_never_throws() =>
        Prop.ForAll(JsonishBytes().ToArbitrary(), bytes =>
        {
            if (ApiRequest.TryParse(bytes, out var r, out _, out var error)) r!.Dispose();
            else Assert.False(string.IsNullOrEmpty(error));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Tasmota_discovery_parser_never_throws() =>
        Prop.ForAll(JsonishBytes().ToArbitrary(), bytes => { TasmotaDiscoveryConfig.TryParse(bytes, out _, out _); })
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Shelly_frame_parser_never_throws() =>
        Prop.ForAll(JsonishBytes().ToArbitrary(), bytes =>
        {
            if (ShellyFrame.TryParse(new ReadOnlySequence<byte>(bytes), out var f, out _)) f!.Dispose();
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Deeply_nested_requests_are_refused_not_recursed()
    {
        var deep = Encoding.UTF8.GetBytes("{\"id\":\"1\",\"op\":\"set\",\"state\":" + new string('[', 5000) + new string(']', 5000) + "}");
        Assert.False(ApiRequest.TryParse(deep, out _, out _, out var error));
        Assert.Contains("JSON", error);
    }
}
