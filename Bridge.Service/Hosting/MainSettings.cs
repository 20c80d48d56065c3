namespace Bridge.Service.Hosting;

/// <summary>The settings a user most often changes, as <c>--help</c> lists them. The full list
/// is in the README.</summary>
public static class MainSettings
{
    private static readonly (string Key, string Meaning)[] Rows =
    [
        ("--Api:Bind=ADDRESS", "the local API's address (default 0.0.0.0; --demo: 127.0.0.1)"),
        ("--Api:Port=PORT", "the local API's port, also the web console's (default 8970; 0 picks a free one)"),
        ("--Api:Hosts:0=NAME", "a host name the console may be reached by besides IP addresses, localhost and .local names"),
        ("--Api:AllowedOrigins:0=ORIGIN", "a web origin allowed to open the API's WebSocket besides the bridge's own"),
        ("--Mqtt:Url=mqtt://HOST:PORT", "an external MQTT broker (default: the embedded one)"),
        ("--Mqtt:Bind=ADDRESS, --Mqtt:Port=PORT", "the embedded broker's address (default 0.0.0.0:1883)"),
        ("--Data:Dir=DIR", "where the identity, pairings and known devices are kept (default ~/.local/share/devicebridge)"),
        ("--Relay:Url=wss://HOST", "keep a connection to a relay, for phones away from home"),
        ("--Serial:Ports:0:Path=/dev/ttyUSB0", "a serial line with Modbus devices (see the README)"),
    ];

    public static void Write(TextWriter output)
    {
        output.WriteLine("Main settings (--Section:Key=value; also BRIDGE__Section__Key environment variables and appsettings.json, arguments win):");
        var width = Rows.Max(r => r.Key.Length) + 2;
        foreach (var (key, meaning) in Rows) output.WriteLine($"  {key.PadRight(width)}{meaning}");
        output.WriteLine();
    }
}
