using System.CommandLine;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bridge.Service.Api;
using Bridge.Service.Data;
using Bridge.Service.Provisioning;
using Bridge.Service.Security;

namespace Bridge.Service.Hosting;

/// <summary><c>provision --method improv|softap --target T --ssid SSID --password-file FILE
/// [--pop-file FILE]</c>: asks the bridge running on this machine to provision a device (op
/// <c>provision</c> over its local API, with a short-lived install token minted from Data:Dir),
/// prints each step on stdout, exit 0 on success, 1 with the reason on failure. The password and
/// proof of possession come from files, never from the command line.</summary>
public static class ProvisionCommand
{
    public static Command Create(string[] configuration)
    {
        var method = new Option<string>("--method") { Description = "improv (a serial port) or softap (the device's own access point)", Required = true };
        method.AcceptOnlyFromAmong("improv", "softap");
        var target = new Option<string>("--target") { Description = "the serial port (e.g. /dev/ttyUSB0) or the device's address (e.g. 192.168.4.1)", Required = true };
        var ssid = new Option<string>("--ssid") { Description = "the Wi-Fi network the device joins", Required = true };
        var passwordFile = new Option<FileInfo>("--password-file") { Description = "a file holding the Wi-Fi password (one line)", Required = true };
        var popFile = new Option<FileInfo?>("--pop-file") { Description = "a file holding the device's proof of possession (ESP-IDF security 1 and 2)" };
        var command = new Command("provision", "Give a new device its Wi-Fi and adopt it, through the bridge running on this machine " +
            "(--Api:Port=N if it is not on 8970)") { method, target, ssid, passwordFile, popFile };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!TryReadSecret(parse.GetValue(passwordFile)!, "--password-file", error, out var password)) return BridgeCommandLine.UsageError;
            string? pop = null;
            if (parse.GetValue(popFile) is { } pf && !TryReadSecret(pf, "--pop-file", error, out pop)) return BridgeCommandLine.UsageError;
            var request = new Dictionary<string, string?>
            {
                ["id"] = "provision", ["op"] = "provision", ["method"] = parse.GetValue(method), ["target"] = parse.GetValue(target),
                ["ssid"] = parse.GetValue(ssid), ["password"] = password, ["pop"] = pop,
            };
            return await RunAsync(configuration, request, output, error, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static bool TryReadSecret(FileInfo file, string option, TextWriter error, out string secret)
    {
        secret = "";
        try
        {
            secret = File.ReadAllText(file.FullName).TrimEnd('\r', '\n');
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{option}: cannot read {file.FullName}: {e.Message}");
            return false;
        }
    }

    private static async Task<int> RunAsync(string[] configuration, Dictionary<string, string?> request, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var config = new ConfigurationManager();
        BridgeConfiguration.Apply(config, configuration, demo: false);
        var data = new DataOptions();
        config.GetSection(DataOptions.Section).Bind(data);
        var api = new ApiOptions();
        config.GetSection(ApiOptions.Section).Bind(api);
        var url = $"ws://127.0.0.1:{api.Port}/api/v1/ws";
        string token;
        using (var identity = BridgeIdentity.LoadOrCreate(data.Dir))
            token = new TokenService(identity, TimeProvider.System, new TokenStore(data.Dir, TimeProvider.System))
                .Mint("provision (command line)", TokenScope.Install, TimeSpan.FromHours(1));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        try
        {
            await socket.ConnectAsync(new Uri(url), ct).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            error.WriteLine($"provision failed: no bridge answers at {url} ({e.Message}); start it first (dotnet run --project Bridge.Service), or give --Api:Port and --Data:Dir of the running one");
            return 1;
        }
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        request.Clear();
        var buffer = new byte[256 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult frame;
            do
            {
                frame = await socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                length += frame.Count;
            } while (!frame.EndOfMessage && length < buffer.Length);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                error.WriteLine("provision failed: the bridge closed the connection before answering");
                return 1;
            }
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
            var root = doc.RootElement;
            if (root.TryGetProperty("event", out var ev) && ev.GetString() == "provision")
            {
                output.WriteLine(root.GetProperty("step").GetString());
                continue;
            }
            if (!root.TryGetProperty("id", out var id) || id.GetString() != "provision") continue;
            if (!root.GetProperty("ok").GetBoolean())
            {
                error.WriteLine($"provision failed: {root.GetProperty("error").GetProperty("message").GetString()}");
                return 1;
            }
            output.WriteLine(Outcome(root));
            return 0;
        }
    }

    private static string Outcome(JsonElement reply)
    {
        var redirect = reply.TryGetProperty("redirect", out var r) && r.ValueKind == JsonValueKind.String ? $"; the device's page: {r.GetString()}" : "";
        if (reply.GetProperty("device") is { ValueKind: JsonValueKind.Object } device)
            return $"done: {device.GetProperty("id").GetString()} ({device.GetProperty("name").GetString()}) is in the bridge's devices{redirect}";
        return $"done: the device joined the network but the bridge has not seen it yet; it may need adopting (op 'discovered'){redirect}";
    }
}
