using Bridge.Protocols.Model;
using Bridge.Protocols.Modbus;
using Bridge.Service.Devices;

namespace Bridge.Service.Serial;

/// <summary><c>Serial:*</c>: serial lines and the Modbus devices on them (CONTRACT.md, "Serial devices").</summary>
public sealed class SerialOptions
{
    public const string Section = "Serial";

    /// <summary>The driver the profiles of serial devices name (the Modbus module's).</summary>
    public const string ModbusDriverName = "modbus";

    public List<SerialPortOptions> Ports { get; set; } = [];

    /// <summary>How long the bridge waits for a slave's reply after its request is on the wire.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Further tries after a timeout, a garbled reply or a busy slave.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Numbers that don't parse, named by key. The configuration binder drops a list
    /// element it can't convert instead of failing, so these are checked on the raw text.</summary>
    public static List<string> RawProblems(IConfiguration config)
    {
        var problems = new List<string>();
        foreach (var port in config.GetSection(Section + ":Ports").GetChildren())
        {
            CheckInt(port, "Baud", problems);
            CheckInt(port, "StopBits", problems);
            foreach (var device in port.GetSection("Devices").GetChildren())
            {
                CheckInt(device, "SlaveId", problems);
                if (device["PollSeconds"] is { } poll && !double.TryParse(poll, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                    problems.Add($"{device.Path}:PollSeconds must be a number of seconds, not '{poll}'");
            }
        }
        return problems;

        static void CheckInt(IConfigurationSection s, string key, List<string> problems)
        {
            if (s[key] is { } text && !int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
                problems.Add($"{s.Path}:{key} must be a whole number, not '{text}'");
        }
    }

    /// <summary>Every problem, each naming its key; reads the profile directory and the raw values from <paramref name="config"/>.</summary>
    public IEnumerable<string> Validate(IConfiguration config)
    {
        var raw = RawProblems(config);
        if (raw.Count > 0) return raw;
        return Validate(ProfileDirOf(config));
    }

    /// <summary>Every problem, each naming its key; <paramref name="profileDir"/> is where profiles live.</summary>
    public IEnumerable<string> Validate(string profileDir)
    {
        if (ReplyTimeout <= TimeSpan.Zero || ReplyTimeout > TimeSpan.FromSeconds(10))
            yield return "Serial:ReplyTimeout must be between 0 and 10 seconds (e.g. 00:00:00.5)";
        if (Retries is < 0 or > 10) yield return "Serial:Retries must be from 0 to 10";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < Ports.Count; n++)
        {
            var port = Ports[n];
            var key = $"Serial:Ports:{n}";
            if (string.IsNullOrWhiteSpace(port.Path)) yield return $"{key}:Path is required (e.g. /dev/ttyUSB0)";
            else if (!paths.Add(port.Path)) yield return $"{key}:Path '{port.Path}' is declared twice";
            if (port.Baud is < 300 or > 4_000_000) yield return $"{key}:Baud must be from 300 to 4000000, not {port.Baud}";
            if (!SerialPortOptions.TryParseParity(port.Parity, out _)) yield return $"{key}:Parity must be none, even or odd, not '{port.Parity}'";
            if (port.StopBits is not (1 or 2)) yield return $"{key}:StopBits must be 1 or 2, not {port.StopBits}";
            if (port.Devices.Count == 0) yield return $"{key}:Devices is empty; declare the Modbus devices on this line";
            var slaves = new HashSet<int>();
            for (var m = 0; m < port.Devices.Count; m++)
            {
                var d = port.Devices[m];
                var dk = $"{key}:Devices:{m}";
                if (string.IsNullOrWhiteSpace(d.Id)) yield return $"{dk}:Id is required";
                else if (!ids.Add(d.Id)) yield return $"{dk}:Id '{d.Id}' is used by another serial device";
                if (d.SlaveId is not { } slave || slave < 1 || slave > ModbusLimits.MaxSlaveId)
                    yield return $"{dk}:SlaveId must be from 1 to {ModbusLimits.MaxSlaveId}";
                else if (!slaves.Add(slave)) yield return $"{dk}:SlaveId {slave} is already used on {key}";
                if (d.PollSeconds is <= 0 or > 86400) yield return $"{dk}:PollSeconds must be above 0 and at most 86400";
                if (string.IsNullOrWhiteSpace(d.Profile)) yield return $"{dk}:Profile is required (a file name in configs/devices without .json)";
                else if (ProfileProblem(profileDir, d.Profile) is { } problem) yield return $"{dk}:Profile {problem}";
            }
        }
    }

    private static string? ProfileProblem(string dir, string profile)
    {
        var file = System.IO.Path.Combine(dir, profile + ".json");
        if (profile.IndexOfAny(['/', '\\']) >= 0 || !File.Exists(file)) return $"'{profile}': no such profile in '{dir}'";
        var loaded = DeviceProfileReader.Read(profile, File.ReadAllBytes(file), []);
        return loaded is not null && loaded.Driver != ModbusDriverName
            ? $"'{profile}' is a '{loaded.Driver}' profile, not a modbus one" : null;
    }

    public static string ProfileDirOf(IConfiguration config)
    {
        var devices = new DevicesOptions();
        try { config.GetSection(DevicesOptions.Section).Bind(devices); }
        catch (InvalidOperationException) { }
        return devices.ResolvedProfileDir;
    }
}

/// <summary><c>Serial:Ports:&lt;n&gt;:*</c>: one serial line.</summary>
public sealed class SerialPortOptions
{
    public string Path { get; set; } = "";
    public int Baud { get; set; } = 9600;
    /// <summary>Modbus RTU's default framing is 8E1 (Modbus over Serial Line V1.02 §2.5.1).</summary>
    public string Parity { get; set; } = "even";
    public int StopBits { get; set; } = 1;
    public List<SerialDeviceOptions> Devices { get; set; } = [];

    public static bool TryParseParity(string? text, out System.IO.Ports.Parity parity)
    {
        switch (text?.ToLowerInvariant())
        {
            case "none": parity = System.IO.Ports.Parity.None; return true;
            case "even": parity = System.IO.Ports.Parity.Even; return true;
            case "odd": parity = System.IO.Ports.Parity.Odd; return true;
            default: parity = default; return false;
        }
    }
}

/// <summary><c>Serial:Ports:&lt;n&gt;:Devices:&lt;m&gt;:*</c>: one Modbus device on a line.</summary>
public sealed class SerialDeviceOptions
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public int? SlaveId { get; set; }
    public string Profile { get; set; } = "";
    public double PollSeconds { get; set; } = 5;
}
