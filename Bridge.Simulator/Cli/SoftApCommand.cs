using Bridge.Simulator.Improv;
using Bridge.Simulator.SoftAp;
using Bridge.Simulator.Tasmota;

namespace Bridge.Simulator.Cli;

/// <summary><c>softap --kind espidf|shelly|tasmota [--security 0|1|2] [--patch 0|1] [--pop-file FILE]
/// [--username U] [--ssid Home] [--password-file FILE] [--join-delay MS] [--fault NAME]</c>: one
/// device in access-point mode on a loopback port until cancelled. Prints one ready line,
/// <c>SoftAP: &lt;kind&gt; at http://127.0.0.1:&lt;port&gt;</c>, and <c>SoftAP: joined &lt;ssid&gt;</c>
/// when given the right settings (a Tasmota then also prints its LAN side's URL). The network it
/// can join is <c>--ssid</c> with the password in <c>--password-file</c> (open when none); secrets
/// come from files, never the command line.</summary>
public static class SoftApCommand
{
    public const string Usage = "usage: softap --kind espidf|shelly|tasmota [--security 0|1|2] [--patch 0|1] [--pop-file FILE] [--username U] " +
        "[--ssid Home] [--password-file FILE] [--join-delay MS] [--fault silent|reboot|huge|malformed|slow]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        string? kind = null, popFile = null, passwordFile = null, fault = null;
        var username = Bridge.Protocols.EspProv.Security2Client.DefaultUsername;
        var ssid = "Home";
        int security = 2, patch = 1, joinDelay = 100;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : "";
            switch (args[i])
            {
                case "--kind": kind = Next(); break;
                case "--security" when int.TryParse(Next(), out var s) && s is >= 0 and <= 2: security = s; break;
                case "--patch" when int.TryParse(Next(), out var p) && p is 0 or 1: patch = p; break;
                case "--join-delay" when int.TryParse(Next(), out var d) && d >= 0: joinDelay = d; break;
                case "--pop-file": popFile = Next(); break;
                case "--password-file": passwordFile = Next(); break;
                case "--username": username = Next(); break;
                case "--ssid": ssid = Next(); break;
                case "--fault": fault = Next(); break;
                default:
                    stderr.WriteLine($"unknown or bad option '{args[i]}'. " + Usage);
                    return 2;
            }
        }
        string? pop, password;
        try
        {
            pop = popFile is null ? null : File.ReadAllText(popFile).TrimEnd('\r', '\n');
            password = passwordFile is null ? "" : File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read a secret file: {e.Message}");
            return 2;
        }
        var air = new SimulatedAir().Add(ssid, password, -45).Add("Neighbours", "other", -77);
        var lan = new List<IAsyncDisposable>();
        SoftApDevice device;
        switch (kind)
        {
            case "espidf":
                if (security == 2 && pop is null)
                {
                    stderr.WriteLine("--security 2 needs --pop-file (the device's proof of possession). " + Usage);
                    return 2;
                }
                device = new EspIdfSoftApDevice("esp32-prov", air, security, pop, patch, username);
                break;
            case "shelly":
                device = new ShellySoftApDevice("shellyplusplugs-a8032a" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("x6"), "SNPL-00112EU", "PlugS", air);
                break;
            case "tasmota":
                var mac = "A4CF12" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("X6");
                var tasmota = new TasmotaSoftApDevice(TasmotaDevice.DefaultHostname(mac), air);
                tasmota.Joined = async (_, token) =>
                {
                    var fresh = await FreshTasmota.StartAsync(mac, ct: token).ConfigureAwait(false);
                    lock (lan) lan.Add(fresh);
                    tasmota.LanAddress = $"127.0.0.1:{fresh.EndPoint.Port}";
                    stdout.WriteLine($"SoftAP: tasmota {fresh.Topic} on the LAN at http://{tasmota.LanAddress}/");
                };
                device = tasmota;
                break;
            default:
                stderr.WriteLine("--kind must be espidf, shelly or tasmota. " + Usage);
                return 2;
        }
        device.Faults.JoinDelay = TimeSpan.FromMilliseconds(joinDelay);
        switch (fault)
        {
            case null: break;
            case "silent": device.Faults.Silent = true; break;
            case "reboot": device.Faults.RebootOnApply = true; break;
            case "huge": device.Faults.HugeAnswer = true; break;
            case "malformed": device.Faults.MalformedProtobuf = true; break;
            case "slow": device.Faults.AnswerDelay = TimeSpan.FromSeconds(10); break;
            default:
                stderr.WriteLine($"unknown --fault '{fault}'. " + Usage);
                return 2;
        }
        var previous = device.Joined;
        device.Joined = async (joined, token) =>
        {
            stdout.WriteLine($"SoftAP: joined {joined.Ssid}");
            if (previous is not null) await previous(joined, token).ConfigureAwait(false);
        };
        await using (device)
        {
            await device.StartAsync(ct).ConfigureAwait(false);
            stdout.WriteLine($"SoftAP: {device.Kind} at {device.Url.ToString().TrimEnd('/')}");
            stdout.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        foreach (var l in lan) await l.DisposeAsync().ConfigureAwait(false);
        return 0;
    }
}
