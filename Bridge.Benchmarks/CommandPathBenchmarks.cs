using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Benchmarks;

/// <summary>The in-process command path without sockets or MQTT: CommandService with a driver
/// whose device confirms instantly, so the whole <c>set</c> completes synchronously.</summary>
[MemoryDiagnoser]
public class CommandPathBenchmarks
{
    private const string LampId = "lamp";
    private const string FrameLampId = "lamp-17";

    private DeviceRegistry _registry = null!;
    private CommandService _commands = null!;
    private JsonDocument _on80 = null!, _on40 = null!;
    private byte[] _frame40 = null!;
    private readonly CancellationTokenSource _sessionClosed = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new DeviceRegistry([], NullLogger<DeviceRegistry>.Instance);
        var driver = new InstantDriver(_registry);
        _commands = new CommandService(_registry, new DriverCatalog([driver]), Options.Create(new CommandOptions()),
            TimeProvider.System, NullLogger<CommandService>.Instance);
        var shipped = Fixtures.Profile;
        var profile = new DeviceProfile
        {
            Id = "bench-" + shipped.Id, Kind = shipped.Kind, Driver = InstantDriver.DriverName, Capabilities = shipped.Capabilities,
        };
        foreach (var id in new[] { LampId, FrameLampId })
            _registry.SetOnline(_registry.AddOrUpdate(id, "Lamp", profile, new Dictionary<string, string>()), true);

        _on80 = JsonDocument.Parse("""{"power":"on","brightness":80}""");
        _on40 = JsonDocument.Parse("""{"power":"on","brightness":40}""");
        _frame40 = """{"id":"43","op":"set","device":"lamp-17","state":{"power":"on","brightness":40}}"""u8.ToArray();

        var state = SetAsync_SameState().GetAwaiter().GetResult();
        Fixtures.Check(state.Length == 2 && state[0].Value == StateValue.Of("on") && state[1].Value == StateValue.Of(80), "set confirms");
        Fixtures.Check(SetAsync_ChangedState().IsCompletedSuccessfully && SetAsync_ChangedState().IsCompletedSuccessfully, "set completes synchronously");
        Fixtures.Check(FrameToReply().GetAwaiter().GetResult() > 0 && FrameToReply().GetAwaiter().GetResult() > 0, "frame to reply");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _on80.Dispose();
        _on40.Dispose();
    }

    /// <summary><c>{"power":"on","brightness":80}</c> again and again: the report changes nothing.</summary>
    [Benchmark]
    public Task<KeyValuePair<string, StateValue>[]> SetAsync_SameState() =>
        _commands.SetAsync(LampId, _on80.RootElement, _sessionClosed.Token);

    /// <summary>Brightness 80, 40, 80, ...: every confirmation also changes the device's state.</summary>
    [Benchmark]
    public Task<KeyValuePair<string, StateValue>[]> SetAsync_ChangedState() =>
        _commands.SetAsync(LampId, ((_flip = !_flip) ? _on40 : _on80).RootElement, _sessionClosed.Token);

    /// <summary>Frame bytes to reply bytes as ApiDispatcher does it (parse, look up the device,
    /// SetAsync, write the reply), minus the session and socket; brightness alternates.</summary>
    [Benchmark]
    public async Task<int> FrameToReply()
    {
        var frame = (_flip = !_flip) ? _frame40 : Fixtures.SetFrame;
        if (!ApiRequest.TryParse(frame, out var request, out _, out var error)) throw new InvalidOperationException(error);
        using (request)
        {
            var deviceId = request!.GetString("device")!;
            if (!_registry.TryGet(deviceId, out var device) || !request.TryGet("state", out var state))
                throw new InvalidOperationException("bad frame");
            var confirmed = await _commands.SetAsync(device.Id, state, _sessionClosed.Token).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
            using var w = ApiWriter.Begin(_buffer);
            w.WriteStartObject();
            w.WriteString("id", request.Id);
            w.WriteBoolean("ok", true);
            w.WritePropertyName("state");
            ApiWriter.State(w, confirmed);
            w.WriteEndObject();
        }
        return _buffer.WrittenCount;
    }

    /// <summary>A device that confirms at once: SendAsync reports the expected values before returning.</summary>
    private sealed class InstantDriver(DeviceRegistry registry) : IDeviceDriver
    {
        public const string DriverName = "instant";
        private readonly KeyValuePair<string, StateValue>[] _report = new KeyValuePair<string, StateValue>[8];

        public string Name => DriverName;

        public void ValidateProfile(DeviceProfile profile, List<string> problems) { }

        public StateValue Expected(Device device, Capability capability, StateValue requested) => requested;

        public ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
        {
            var n = changes.Count;
            for (var i = 0; i < n; i++)
                _report[i] = new(changes[i].Capability.Name, Expected(device, changes[i].Capability, changes[i].Value));
            registry.ApplyReport(device, _report.AsSpan(0, n));
            return ValueTask.CompletedTask;
        }
    }
}
