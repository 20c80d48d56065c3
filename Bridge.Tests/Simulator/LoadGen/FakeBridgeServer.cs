using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Tests.Simulator.LoadGen;

/// <summary>
/// A tiny stand-in for the bridge's local API (WebSocket on loopback, hand-made HTTP upgrade) so the
/// load generator can be tested without the real service. Answers <c>devices</c> and <c>set</c>,
/// sends an event before every reply, and checks what the load generator must guarantee.
/// </summary>
internal sealed class FakeBridgeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, FakeDevice> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _sets;
    private int _concurrencyViolations;
    private int _unchanged;
    private int _connected;

    public FakeBridgeServer(string token)
    {
        Token = token;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string Token { get; }

    public string Url => $"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/api/v1/ws";

    /// <summary>Device id → error code to answer every set with.</summary>
    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public int Sets => Volatile.Read(ref _sets);

    /// <summary>Sets that arrived for a device that still had one in progress.</summary>
    public int ConcurrencyViolations => Volatile.Read(ref _concurrencyViolations);

    /// <summary>Successful sets that did not change the device's power.</summary>
    public int Unchanged => Volatile.Read(ref _unchanged);

    public int Connected => Volatile.Read(ref _connected);

    public IReadOnlyDictionary<string, int> SetsPerDevice =>
        _devices.ToDictionary(p => p.Key, p => Volatile.Read(ref p.Value.Sets), StringComparer.Ordinal);

    public void AddDevice(string id, bool hasPower, bool powerOn, bool online = true) =>
        _devices[id] = new FakeDevice(id, hasPower, powerOn, online);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
            await Task.WhenAll(_connections);
        }
        catch (Exception)
        {
            // Shutting down.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                client.NoDelay = true; // an event and a reply back to back must not wait for delayed ACKs
                _connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            Dictionary<string, string>? headers = await ReadHeadersAsync(stream);
            if (headers is null)
            {
                return;
            }

            if (!headers.TryGetValue("authorization", out string? auth) || auth != "Bearer " + Token)
            {
                await stream.WriteAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                return;
            }

            string accept = Convert.ToBase64String(SHA1.HashData(
                Encoding.ASCII.GetBytes(headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Accept: {accept}\r\n\r\n"));

            using WebSocket socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
            Interlocked.Increment(ref _connected);
            var sendLock = new SemaphoreSlim(1, 1);
            var work = new List<Task>();
            var buffer = new byte[64 * 1024];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    int length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        break;
                    }

                    JsonObject request = JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject();
                    // Handle each request on its own, like the bridge, so replies can overtake each other.
                    work.Add(Task.Run(() => HandleAsync(socket, sendLock, request)));
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested || socket.State != WebSocketState.Open)
            {
            }

            await Task.WhenAll(work);
        }
    }

    private async Task HandleAsync(WebSocket socket, SemaphoreSlim sendLock, JsonObject request)
    {
        string id = (string)request["id"]!;
        string op = (string)request["op"]!;
        JsonObject reply;
        if (op == "devices")
        {
            var list = new JsonArray();
            foreach (FakeDevice device in _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                list.Add(device.ToJson());
            }

            reply = new JsonObject { ["id"] = id, ["ok"] = true, ["devices"] = list };
        }
        else if (op == "set")
        {
            Interlocked.Increment(ref _sets);
            string deviceId = (string)request["device"]!;
            string power = (string)request["state"]!["power"]!;
            if (Failures.TryGetValue(deviceId, out string? code) || !_devices.TryGetValue(deviceId, out FakeDevice? device))
            {
                reply = Error(id, code ?? "unknown_device");
            }
            else
            {
                if (Interlocked.Increment(ref device.InProgress) != 1)
                {
                    Interlocked.Increment(ref _concurrencyViolations);
                }

                // Let other requests run while this one is "in progress" at the device.
                await Task.Yield();
                Interlocked.Increment(ref device.Sets);
                bool on = power == "on";
                if (on == device.PowerOn)
                {
                    Interlocked.Increment(ref _unchanged);
                }

                device.PowerOn = on;
                await SendAsync(socket, sendLock, new JsonObject
                {
                    ["event"] = "state",
                    ["device"] = deviceId,
                    ["state"] = new JsonObject { ["power"] = power },
                });
                Interlocked.Decrement(ref device.InProgress);
                reply = new JsonObject
                {
                    ["id"] = id,
                    ["ok"] = true,
                    ["state"] = new JsonObject { ["power"] = power },
                };
            }
        }
        else
        {
            reply = Error(id, "unknown_op");
        }

        await SendAsync(socket, sendLock, reply);
    }

    private static JsonObject Error(string id, string code) => new()
    {
        ["id"] = id,
        ["ok"] = false,
        ["error"] = new JsonObject { ["code"] = code, ["message"] = "fake bridge says no" },
    };

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, JsonObject message)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await sendLock.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task<Dictionary<string, string>?> ReadHeadersAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
            {
                break;
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n").Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }

    private sealed class FakeDevice(string id, bool hasPower, bool powerOn, bool online)
    {
        public int InProgress;
        public int Sets;

        public string Id { get; } = id;

        public bool PowerOn { get; set; } = powerOn;

        public JsonObject ToJson()
        {
            var capabilities = new JsonObject();
            if (hasPower)
            {
                capabilities["power"] = new JsonObject { ["type"] = "enum", ["values"] = new JsonArray("off", "on") };
            }

            capabilities["current_temperature"] = new JsonObject { ["type"] = "number" };
            return new JsonObject
            {
                ["id"] = Id,
                ["name"] = Id,
                ["kind"] = hasPower ? "light" : "sensor",
                ["protocol"] = "fake",
                ["online"] = online,
                ["capabilities"] = capabilities,
                ["state"] = hasPower
                    ? new JsonObject { ["power"] = PowerOn ? "on" : "off" }
                    : new JsonObject { ["current_temperature"] = 21.5 },
            };
        }
    }
}
