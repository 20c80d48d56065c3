using Bridge.Simulator.Home;
using Bridge.Simulator.Mdns;
using Bridge.Simulator.Shelly;
using Bridge.Simulator.Tasmota;
using Bridge.Simulator.Yeelight;

namespace Bridge.Simulator.Cli;

/// <summary><c>devices --mqtt mqtt://host:port [--scenario FILE | --lamps N | --bulbs N] [--accounts DIR] [--yeelight-multicast] [--mdns] [--fresh-tasmota N]</c>:
/// runs simulated devices until cancelled, printing <c>Simulator: &lt;n&gt; devices connected</c> once they
/// are all announced, after one <c>Simulator: yeelight ...</c> line per bulb saying where it listens. Shelly
/// devices with a local RPC print its URL; <c>--mdns</c> also announces them on mDNS (multicast on
/// loopback: run it only inside a network namespace of your own, see docs/simulator.md). With
/// <c>--accounts DIR</c>, a device whose id names a file in DIR connects as that user with the file's first
/// line as its password (as a Tasmota's MqttUser/MqttPassword), so passwords never appear on a command line.
/// <c>--fresh-tasmota N</c> adds N Tasmota plugs on the Wi-Fi but on no broker, each printing where its HTTP
/// command API answers (<c>Simulator: tasmota &lt;hostname&gt; http://127.0.0.1:&lt;port&gt;/cm</c>), for adopting.</summary>
public static class DevicesCommand
{
    public const string Usage = "usage: devices [--mqtt mqtt://127.0.0.1:1883] [--scenario FILE | --lamps N | --bulbs N] [--accounts DIR] [--yeelight-multicast] [--mdns] [--fresh-tasmota N]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args.Contains("--modbus")) return await ModbusDevicesCommand.RunAsync(args, stdout, stderr, ct).ConfigureAwait(false);
        var mqtt = "mqtt://127.0.0.1:1883";
        string? scenario = null;
        int? lamps = null;
        int? bulbs = null;
        var multicast = false;
        var mdns = false;
        string? accounts = null;
        var freshTasmotas = 0;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--mqtt": mqtt = Next() ?? ""; break;
                case "--scenario": scenario = Next(); break;
                case "--lamps":
                    if (!int.TryParse(Next(), out var n) || n < 1)
                    {
                        stderr.WriteLine("--lamps needs a positive number. " + Usage);
                        return 2;
                    }
                    lamps = n;
                    break;
                case "--bulbs":
                    if (!int.TryParse(Next(), out var b) || b < 1)
                    {
                        stderr.WriteLine("--bulbs needs a positive number. " + Usage);
                        return 2;
                    }
                    bulbs = b;
                    break;
                case "--yeelight-multicast": multicast = true; break;
                case "--mdns": mdns = true; break;
                case "--fresh-tasmota":
                    if (!int.TryParse(Next(), out freshTasmotas) || freshTasmotas < 1)
                    {
                        stderr.WriteLine("--fresh-tasmota needs a positive number. " + Usage);
                        return 2;
                    }
                    break;
                case "--accounts":
                    accounts = Next();
                    if (!Directory.Exists(accounts))
                    {
                        stderr.WriteLine($"--accounts needs a directory of password files, not '{accounts}'. " + Usage);
                        return 2;
                    }
                    break;
                default:
                    stderr.WriteLine($"unknown option '{args[i]}'. " + Usage);
                    return 2;
            }
        }
        if (!TryParseBroker(mqtt, out var host, out var port))
        {
            stderr.WriteLine($"--mqtt '{mqtt}' is not an mqtt://host:port address. " + Usage);
            return 2;
        }
        SimulatedHome home;
        try
        {
            home = lamps is { } count ? new SimulatedHome(TasmotaDemo.Lamps(count))
                : bulbs is { } many ? new SimulatedHome(YeelightDemo.Numbered(many))
                : scenario is not null ? SimulatedHome.FromScenario(scenario) : SimulatedHome.Demo();
            // Multicast only where loopback carries it: inside a network namespace (tools/in-netns.sh).
            home.LanOnMulticast = multicast;
            if (accounts is not null) UseAccounts(home, accounts);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or IOException)
        {
            stderr.WriteLine("Simulator: bad scenario: " + e.Message);
            return 2;
        }
        await using (home)
        {
            try
            {
                await home.StartAsync(host, port, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e)
            {
                stderr.WriteLine($"Simulator: cannot connect to the broker at {host}:{port}: {e.Message}");
                return 1;
            }
            // Each Shelly that serves a local RPC opened it as it started.
            var local = home.TwinsOf<ShellyDevice>().Select(s => s.LocalRpc).OfType<ShellyAnnouncement>().ToArray();
            foreach (var a in local) stdout.WriteLine($"Simulator: {a.Id} local RPC http://{a.Address}:{a.Port}/rpc");
            var fresh = new List<FreshTasmota>();
            await using var freshOnes = new FreshTasmotas(fresh);
            for (var f = 0; f < freshTasmotas; f++)
            {
                var t = await FreshTasmota.StartAsync(ct: ct).ConfigureAwait(false);
                fresh.Add(t);
                stdout.WriteLine($"Simulator: tasmota {t.Hostname} (topic {t.Topic}, on no broker) http://{t.EndPoint}/cm");
            }
            await using var announcer = mdns && local.Length > 0 ? await MdnsShellyCrowd.StartAsync(local).ConfigureAwait(false) : null;
            foreach (var bulb in home.TwinsOf<SimulatedBulb>())
                stdout.WriteLine($"Simulator: yeelight {bulb.DeviceId} control {bulb.Address}:{bulb.ControlPort} search "
                    + (bulb.UnicastSearchEndPoint is { } at ? $"unicast {at}" : "multicast 239.255.255.250:1982"));
            stdout.WriteLine($"Simulator: {home.Devices.Count(d => d.IsConnected)} devices connected");
            stdout.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return 0;
    }

    /// <summary>Each device with a password file named after its id connects as that user.</summary>
    private static void UseAccounts(SimulatedHome home, string dir)
    {
        foreach (var device in home.Devices)
        {
            var file = Path.Combine(dir, device.Id);
            if (File.Exists(file)) device.UseAccount(device.Id, File.ReadLines(file).First().TrimEnd('\r'));
        }
    }

    public static bool TryParseBroker(string url, out string host, out int port)
    {
        host = "";
        port = 1883;
        if (!Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "mqtt://" + url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("mqtt" or "tcp") || string.IsNullOrEmpty(uri.Host))
            return false;
        host = uri.Host.Trim('[', ']');
        if (uri.Port > 0) port = uri.Port;
        return true;
    }
}
