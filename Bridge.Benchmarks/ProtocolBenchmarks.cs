using Bridge.Protocols.Mqtt;
using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Mqtt;

namespace Bridge.Benchmarks;

/// <summary>The pure codecs a <c>set</c> passes through: parse the frame, check the values,
/// match the report's topic, write the reply.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private ReadOnlyMemory<byte> _setFrame;
    private JsonDocument _state = null!;
    private JsonElement _powerJson, _brightnessJson;
    private Capability _power = null!, _brightness = null!;
    private DeviceView _view = null!;
    private KeyValuePair<string, StateValue>[] _confirmed = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter _reusedWriter = null!;
    private string _filter = "stat/+/+", _result = "stat/lamp-17/RESULT", _tele = "tele/lamp-17/STATE", _lwtFilter = "tele/+/LWT";

    [GlobalSetup]
    public void Setup()
    {
        var profile = Fixtures.Profile;
        _setFrame = Fixtures.SetFrame;
        _state = JsonDocument.Parse("""{"power":"on","brightness":80}""");
        _powerJson = _state.RootElement.GetProperty("power");
        _brightnessJson = _state.RootElement.GetProperty("brightness");
        _power = profile.Find(CapabilityNames.Power)!;
        _brightness = profile.Find("brightness")!;
        _confirmed =
        [
            new(CapabilityNames.Power, StateValue.Of("on")),
            new("brightness", StateValue.Of(80)),
            new("color_temp", StateValue.Of(2703)),
        ];
        _view = new DeviceView("lamp-17", "Hallway Lamp", profile.Kind, profile.Driver, true, profile.Capabilities, _confirmed);
        _reusedWriter = ApiWriter.Begin(_buffer);

        // Every benchmark measures the success path: fail loudly if setup is off.
        Fixtures.Check(profile.Capabilities.Count == 3, "the profile has 3 capabilities");
        Fixtures.Check(_power.Type == CapabilityType.Enum && _brightness.Type == CapabilityType.Int, "power is an enum, brightness an int");
        Fixtures.Check(ApiRequest_TryParse(), "the set frame parses");
        Fixtures.Check(ValueCheck_Int() == ValueProblem.None && ValueCheck_Enum() == ValueProblem.None, "values pass");
        Fixtures.Check(TopicFilter_Match() && !TopicFilter_NoMatch_FirstLevel() && !TopicFilter_NoMatch_LastLevel(), "topic filters");
        Fixtures.Check(ApiWriter_Device() > 0 && ApiWriter_Device_ReusedWriter() == ApiWriter_Device(), "device written");
        Fixtures.Check(ApiWriter_SetReply() > 0, "set reply written");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _state.Dispose();
        _reusedWriter.Dispose();
    }

    [Benchmark]
    public bool ApiRequest_TryParse()
    {
        var ok = ApiRequest.TryParse(_setFrame, out var request, out _, out _);
        request?.Dispose();
        return ok;
    }

    [Benchmark]
    public ValueProblem ValueCheck_Int() => ValueCheck.Check(_brightness, _brightnessJson, out _, out _);

    [Benchmark]
    public ValueProblem ValueCheck_Enum() => ValueCheck.Check(_power, _powerJson, out _, out _);

    [Benchmark]
    public bool TopicFilter_Match() => TopicFilter.Matches(_filter, _result);

    /// <summary><c>stat/+/+</c> against a tele topic: refused at the first level.</summary>
    [Benchmark]
    public bool TopicFilter_NoMatch_FirstLevel() => TopicFilter.Matches(_filter, _tele);

    /// <summary><c>tele/+/LWT</c> against <c>tele/lamp-17/STATE</c>: refused at the last level.</summary>
    [Benchmark]
    public bool TopicFilter_NoMatch_LastLevel() => TopicFilter.Matches(_lwtFilter, _tele);

    /// <summary>As the dispatcher does it: a new writer per reply (<see cref="ApiWriter.Begin"/>).</summary>
    [Benchmark]
    public int ApiWriter_Device()
    {
        _buffer.ResetWrittenCount();
        using (var w = ApiWriter.Begin(_buffer)) ApiWriter.Device(w, _view);
        return _buffer.WrittenCount;
    }

    /// <summary>The same body through one reused writer, to separate the writer's cost.</summary>
    [Benchmark]
    public int ApiWriter_Device_ReusedWriter()
    {
        _buffer.ResetWrittenCount();
        _reusedWriter.Reset(_buffer);
        ApiWriter.Device(_reusedWriter, _view);
        _reusedWriter.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>The <c>set</c> reply exactly as ApiDispatcher.SetAsync writes it.</summary>
    [Benchmark]
    public int ApiWriter_SetReply()
    {
        _buffer.ResetWrittenCount();
        using (var w = ApiWriter.Begin(_buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", "42");
            w.WriteBoolean("ok", true);
            w.WritePropertyName("state");
            ApiWriter.State(w, _confirmed);
            w.WriteEndObject();
        }
        return _buffer.WrittenCount;
    }
}
