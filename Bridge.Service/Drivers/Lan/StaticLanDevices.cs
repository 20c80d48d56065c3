using System.Net;

namespace Bridge.Service.Drivers.Lan;

/// <summary>One device declared by hand because broadcasts cannot reach it (another subnet):
/// <c>Devices:Static:&lt;n&gt;:Protocol</c>, <c>Id</c>, <c>Address</c>, and <c>Key</c> (Tuya) or
/// <c>Token</c> (miIO) where needed (CONTRACT.md). <c>Version</c> pins a Tuya device's protocol version
/// (default 3.3). A credential given here is put in the secret store at start; the bridge never logs it.</summary>
public sealed class StaticLanDevice
{
    public string? Protocol { get; set; }
    public string? Id { get; set; }
    public string? Address { get; set; }
    public string? Key { get; set; }
    public string? Token { get; set; }
    public string? Version { get; set; }
    public string? Name { get; set; }
    /// <summary>The device's TCP/UDP port when not the protocol's own (6668 for Tuya).</summary>
    public int? Port { get; set; }

    public override string ToString() => $"{Protocol} {Id} at {Address}";
}

/// <summary><c>Devices:Static</c>: the LAN devices declared by hand. Each protocol module takes and
/// checks its own entries.</summary>
public sealed class StaticLanDevicesOptions
{
    public const string Section = "Devices";

    public List<StaticLanDevice> Static { get; set; } = [];

    public IEnumerable<(int Index, StaticLanDevice Device)> Of(string protocol) =>
        Static.Select((d, i) => (i, d)).Where(x => string.Equals(x.d.Protocol, protocol, StringComparison.OrdinalIgnoreCase));

    /// <summary>The common checks of one protocol's entries: an id with the protocol's prefix and an IPv4 address.</summary>
    public IEnumerable<string> ValidateCommon(string protocol, Func<string, bool> validId, string idExample)
    {
        foreach (var (i, d) in Of(protocol))
        {
            var at = $"Devices:Static:{i}";
            if (string.IsNullOrWhiteSpace(d.Id) || !validId(d.Id)) yield return $"{at}:Id must be a {protocol} device id like {idExample}";
            if (!IPAddress.TryParse(d.Address, out var a) || a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                yield return $"{at}:Address must be the device's IPv4 address (e.g. 192.168.2.40)";
        }
    }
}

/// <summary>Registers <c>Devices:Static</c> once, however many modules take entries from it, with each
/// module's own check of its entries.</summary>
public static class StaticLanDevicesRegistration
{
    private sealed class Bound;

    private sealed class Check(Func<StaticLanDevicesOptions, IEnumerable<string>> validate) : Microsoft.Extensions.Options.IValidateOptions<StaticLanDevicesOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, StaticLanDevicesOptions options)
        {
            var problems = validate(options).ToArray();
            return problems.Length == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
        }
    }

    public static Modules.ProtocolBuilder StaticDevices(this Modules.ProtocolBuilder protocol, Func<StaticLanDevicesOptions, IEnumerable<string>> validate)
    {
        if (!protocol.Services.Any(s => s.ServiceType == typeof(Bound)))
        {
            protocol.Services.AddSingleton(new Bound());
            StartupChecks.ValidatedOptions.AddValidatedOptions<StaticLanDevicesOptions>(protocol.Services, protocol.Configuration, StaticLanDevicesOptions.Section);
        }
        protocol.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<StaticLanDevicesOptions>>(new Check(validate));
        return protocol;
    }
}
