using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Tests.Simulator.Improv;

/// <summary>Runs the reference Improv client, npm <c>improv-wifi-serial-sdk</c>, in Node over a PTY
/// (Bridge.Tests/Peers/improv/drive.mjs): one JSON request in on stdin, one JSON line per result out.</summary>
public static class ImprovReferenceClient
{
    public static string PeerDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DeviceBridge.sln"))) return Path.Combine(dir.FullName, "Bridge.Tests", "Peers", "improv");
            throw new InvalidOperationException("the repository root (DeviceBridge.sln) is not above the test binaries");
        }
    }

    public static async Task<List<JsonObject>> RunAsync(object request, TimeSpan timeout)
    {
        var dir = PeerDirectory;
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "improv-wifi-serial-sdk")))
            Assert.Fail($"improv-wifi-serial-sdk is not installed: run 'npm ci' in {dir} (./test.sh does)");
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--import", "./register.mjs", "drive.mjs" }) psi.ArgumentList.Add(a);
        using var node = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(request));
        node.StandardInput.Close();
        var stderr = node.StandardError.ReadToEndAsync();
        var lines = new List<JsonObject>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await node.StandardOutput.ReadLineAsync(cts.Token) is { } line)
                lines.Add(JsonNode.Parse(line)!.AsObject());
            await node.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"the reference client did not finish within {timeout.TotalSeconds} s; output: {string.Join(" ", lines)}; stderr: {await stderr}");
        }
        return lines;
    }
}
