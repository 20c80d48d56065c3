using System.Buffers;
using BenchmarkDotNet.Attributes;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tasmota;
using Bridge.Service.Drivers.Tasmota;

namespace Bridge.Benchmarks;

/// <summary>Reading what a Tasmota CT light publishes, through the shipped profile's mapping.</summary>
[MemoryDiagnoser]
public class TasmotaBenchmarks
{
    private ReadOnlySequence<byte> _result;
    private byte[] _discovery = null!;
    private TasmotaMapping _mapping = null!;
    private readonly List<KeyValuePair<string, StateValue>> _report = new(4);

    [GlobalSetup]
    public void Setup()
    {
        var problems = new List<string>();
        _mapping = TasmotaMapping.Parse(Fixtures.Profile, problems);
        Fixtures.Check(problems.Count == 0, "the mapping is valid: " + string.Join("; ", problems));
        _result = new ReadOnlySequence<byte>(Fixtures.TasmotaResult);
        _discovery = Fixtures.TasmotaDiscovery;

        Fixtures.Check(TasmotaReport_TryReadJson() == 3, "the RESULT yields 3 values");
        Fixtures.Check(_report[0].Value == StateValue.Of("on") && _report[1].Value == StateValue.Of(80) &&
                       _report[2].Value == StateValue.Of(TasmotaColorTemp.MiredToKelvin(370)), "the RESULT's values");
        var config = TasmotaDiscovery_TryParse();
        Fixtures.Check(config is { Topic: "lamp-17", LightSubtype: 2 } && config.Relays[0] == 2, "the discovery config parses");
        Fixtures.Check(TasmotaProfileMatcher.Matches(Fixtures.Profile, config!), "the discovery config matches the CT light profile");
    }

    /// <summary><c>{"POWER":"ON","Dimmer":80,"CT":370}</c> into a reused list (TasmotaIngress
    /// allocates a new List(4) per message on top of this).</summary>
    [Benchmark]
    public int TasmotaReport_TryReadJson()
    {
        _report.Clear();
        TasmotaReportReader.TryReadJson(_result, _mapping, _report);
        return _report.Count;
    }

    [Benchmark]
    public TasmotaDiscoveryConfig? TasmotaDiscovery_TryParse()
    {
        TasmotaDiscoveryConfig.TryParse(_discovery, out var config, out _);
        return config;
    }
}
