using System.Diagnostics;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Discovery;

/// <summary>python3-zeroconf (what Home Assistant uses) as the mDNS peer nobody here wrote. The
/// scripts are kept here as text and written to a temp file, so no build step copies them.</summary>
public static class Zeroconf
{
    /// <summary>Browses _devicebridge._tcp.local. and resolves one instance. Arguments: instance
    /// name, timeout in seconds. Prints {"browsed": bool, "port": int|null, "txt": {..}, "addresses": [..]}.</summary>
    public const string Resolve = """
import json
import sys
import threading

from zeroconf import ServiceBrowser, ServiceListener, Zeroconf

SERVICE = "_devicebridge._tcp.local."
wanted, timeout = sys.argv[1], float(sys.argv[2])
seen = threading.Event()


class Listener(ServiceListener):
    def add_service(self, zc, type_, name):
        if name.lower() == wanted.lower():
            seen.set()

    def update_service(self, zc, type_, name):
        self.add_service(zc, type_, name)

    def remove_service(self, zc, type_, name):
        pass


zc = Zeroconf(interfaces=["127.0.0.1"])
try:
    browser = ServiceBrowser(zc, SERVICE, Listener())
    browsed = seen.wait(timeout)
    info = zc.get_service_info(SERVICE, wanted, timeout=int(timeout * 1000))
    result = {"browsed": browsed, "port": None, "txt": {}, "addresses": []}
    if info is not None:
        result["port"] = info.port
        result["txt"] = {k.decode(): (v.decode() if v is not None else None) for k, v in info.properties.items()}
        result["addresses"] = info.parsed_addresses()
    print(json.dumps(result), flush=True)
    browser.cancel()
finally:
    zc.close()
""";

    /// <summary>Registers one service on 127.0.0.1 (it probes and announces), prints "registered",
    /// then waits for stdin to close and unregisters (goodbye). Arguments: type, instance, port, key=value....
    /// The host's addresses (IPv4 or IPv6, comma-separated) come from BRIDGE_ZC_ADDRESSES, 127.0.0.1 when unset;
    /// IPv6 ones are announced as AAAA records even though zeroconf's socket is IPv4.</summary>
    public const string Register = """
import os
import socket
import sys

from zeroconf import ServiceInfo, Zeroconf

type_, instance, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
props = dict(kv.split("=", 1) for kv in sys.argv[4:])
zc = Zeroconf(interfaces=["127.0.0.1"])
addresses = os.environ.get("BRIDGE_ZC_ADDRESSES", "127.0.0.1").split(",")
info = ServiceInfo(type_, instance + "." + type_, parsed_addresses=addresses, port=port,
                   properties=props, server=instance + ".local.")
zc.register_service(info)
print("registered", flush=True)
sys.stdin.read()
zc.unregister_service(info)
zc.close()
print("unregistered", flush=True)
""";

    /// <summary>A running python3-zeroconf registration; disposing it unregisters the service.</summary>
    public sealed class Registration : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _path;

        private Registration(Process process, string path)
        {
            _process = process;
            _path = path;
        }

        public static Task<Registration> StartAsync(TimeSpan timeout, string type, string instance, int port, params string[] txt) =>
            StartAsync(timeout, ["127.0.0.1"], type, instance, port, txt);

        /// <summary>Registers with these host addresses (A for IPv4, AAAA for IPv6).</summary>
        public static async Task<Registration> StartAsync(TimeSpan timeout, IReadOnlyList<string> addresses, string type, string instance, int port, params string[] txt)
        {
            var path = Path.Combine(Path.GetTempPath(), $"bridge-zeroconf-{Guid.NewGuid():N}.py");
            await File.WriteAllTextAsync(path, Register);
            var start = new ProcessStartInfo(NetnsOnly.Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["BRIDGE_ZC_ADDRESSES"] = string.Join(",", addresses);
            foreach (var a in new[] { path, type, instance, port.ToString() }.Concat(txt)) start.ArgumentList.Add(a);
            var process = Process.Start(start)!;
            var registration = new Registration(process, path);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token);
                if (line != "registered") throw new InvalidOperationException($"python3-zeroconf: {line} {await process.StandardError.ReadToEndAsync(cts.Token)}");
            }
            catch
            {
                await registration.DisposeAsync();
                throw;
            }
            return registration;
        }

        /// <summary>Closes stdin: the script unregisters (sends goodbyes) and exits.</summary>
        public async Task UnregisterAsync(TimeSpan timeout)
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited) await UnregisterAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
            File.Delete(_path);
        }
    }

    /// <summary>Runs a script with arguments; returns its stdout. Kills it (and only it) on timeout.</summary>
    public static async Task<string> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bridge-zeroconf-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var start = new ProcessStartInfo(NetnsOnly.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(path);
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"python3-zeroconf did not finish within {timeout.TotalSeconds} s: {await stderr}");
            }
            var output = await stdout;
            if (process.ExitCode != 0) throw new InvalidOperationException($"python3-zeroconf failed ({process.ExitCode}): {await stderr}");
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
