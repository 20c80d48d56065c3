using Bridge.Simulator.Modbus;

namespace Bridge.Simulator.Cli;

/// <summary><c>devices --modbus PATH [--profiles DIR] [--baud N]</c>: the simulated Modbus line on a
/// serial port or pty (e.g. one end of <c>socat pty,raw,echo=0,link=/tmp/a pty,raw,echo=0,link=/tmp/b</c>)
/// until cancelled. <c>--baud</c> paces replies as if they crossed a real line at that rate.</summary>
public static class ModbusDevicesCommand
{
    public const string Usage = "usage: devices --modbus PATH [--profiles configs/devices] [--baud N]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        string? path = null;
        var profiles = Path.Combine("configs", "devices");
        var baud = 0;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--modbus": path = Next(); break;
                case "--profiles": profiles = Next() ?? profiles; break;
                case "--baud" when int.TryParse(Next(), out var b) && b > 0: baud = b; break;
                default:
                    stderr.WriteLine($"unknown or incomplete option '{args[i]}'. " + Usage);
                    return 2;
            }
        }
        if (string.IsNullOrEmpty(path))
        {
            stderr.WriteLine("--modbus needs a path. " + Usage);
            return 2;
        }
        ModbusSlave[] slaves;
        try
        {
            slaves = ModbusDemoSlaves.Create(profiles);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Simulator: cannot read the Modbus profiles in '{profiles}': {e.Message}");
            return 2;
        }
        ModbusSlaveBus bus;
        try
        {
            bus = ModbusSlaveBus.OnDevice(path, slaves);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Simulator: cannot open {path}: {e.Message}");
            return 1;
        }
        await using (bus)
        {
            bus.Baud = baud;
            stdout.WriteLine($"Simulator: {slaves.Length} Modbus slaves on {path} ({string.Join(", ", slaves.Select(s => $"{s.Id} {s.Profile.Id}"))})");
            stdout.Flush();
            try
            {
                await Task.WhenAny(bus.Stopped, Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return 0;
    }
}
