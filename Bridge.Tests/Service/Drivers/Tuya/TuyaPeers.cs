using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Tests.Service.Drivers.Tuya;

/// <summary>Runs the Tuya implementations nobody here wrote (Bridge.Tests/Peers/tuya): npm
/// <c>tuyapi</c> as a client (<c>client.js</c>) and npm <c>@tuyapi/stub</c> as a 3.1 device
/// (<c>stub.js</c>). Requests, keys included, go on stdin; results come back as JSON lines.</summary>
public static class TuyaPeers
{
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DeviceBridge.sln"))) return Path.Combine(dir.FullName, "Bridge.Tests", "Peers", "tuya");
            throw new InvalidOperationException("the repository root (DeviceBridge.sln) is not above the test binaries");
        }
    }

    public static Process Start(string script, object request)
    {
        var dir = Directory;
        if (!System.IO.Directory.Exists(Path.Combine(dir, "node_modules", "tuyapi")))
            Assert.Fail($"tuyapi is not installed: run 'npm ci' in {dir} (./test.sh does)");
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        var node = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        node.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        node.StandardInput.Flush();
        return node;
    }

    /// <summary>tuyapi connects, reads, sets <c>set</c>, reads again; returns its lines by step.</summary>
    public static async Task<Dictionary<string, JsonObject>> RunClientAsync(object request, TimeSpan timeout)
    {
        using var node = Start("client.js", request);
        node.StandardInput.Close();
        var stderr = node.StandardError.ReadToEndAsync();
        var steps = new Dictionary<string, JsonObject>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await node.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                var o = JsonNode.Parse(line)!.AsObject();
                steps[o["step"]!.GetValue<string>()] = o;
            }
            await node.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"tuyapi did not finish within {timeout.TotalSeconds} s; steps: {string.Join(", ", steps.Keys)}; stderr: {await stderr}");
        }
        if (steps.TryGetValue("error", out var error)) Assert.Fail($"tuyapi failed: {error["message"]}; steps done: {string.Join(", ", steps.Keys)}; stderr: {await stderr}");
        return steps;
    }
}
