using Bridge.Protocols.Modbus;
using Bridge.Service.Devices;
using Bridge.Service.Serial;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>Declares the configured Modbus devices and runs one <see cref="SerialLine"/> per port.</summary>
public sealed class SerialService(
    IOptions<SerialOptions> options,
    ProfileCatalog profiles,
    DeviceRegistry registry,
    ISerialPortOpener opener,
    ModbusPoller poller,
    TimeProvider time,
    ILoggerFactory logs) : IHostedService
{
    public const string PortKey = "port";
    public const string SlaveKey = "slave";

    private readonly Dictionary<string, (SerialLine Line, SerialDevice Device)> _byDevice = new(StringComparer.Ordinal);
    private readonly List<SerialLine> _lines = [];
    private readonly CancellationTokenSource _stop = new();
    private Task[] _running = [];

    public IReadOnlyList<SerialLine> Lines => _lines;

    public bool TryFind(string deviceId, out SerialLine line, out SerialDevice device)
    {
        var found = _byDevice.TryGetValue(deviceId, out var entry);
        (line, device) = entry;
        return found;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var log = logs.CreateLogger<SerialLine>();
        foreach (var port in options.Value.Ports)
        {
            var devices = new List<SerialDevice>();
            foreach (var d in port.Devices)
            {
                // Options and profiles were validated at start; a miss here is a bug.
                var profile = profiles.Find(d.Profile) ?? throw new InvalidOperationException($"profile '{d.Profile}' vanished");
                var binding = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [PortKey] = port.Path,
                    [SlaveKey] = d.SlaveId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                var device = registry.AddOrUpdate(d.Id, string.IsNullOrWhiteSpace(d.Name) ? d.Id : d.Name, profile, binding);
                devices.Add(new SerialDevice(device, (byte)d.SlaveId.Value, ModbusProfileMap.For(profile), TimeSpan.FromSeconds(d.PollSeconds)));
            }
            var line = new SerialLine(port, options.Value, devices, opener, poller, registry, time, log);
            _lines.Add(line);
            foreach (var d in devices) _byDevice[d.Device.Id] = (line, d);
        }
        _running = _lines.Select(l => Task.Run(() => l.RunAsync(_stop.Token), CancellationToken.None)).ToArray();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
