using System.Net;
using System.Net.Sockets;
using System.Text;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Web;

/// <summary>The contract's browser safety on the bridge's HTTP port (CONTRACT.md, "The web console"):
/// headers on every response, 421 for names that are not the bridge's (DNS rebinding), 403 for
/// WebSocket upgrades from other web origins; mini-programs and tools (no Origin) unaffected.</summary>
public sealed class WebSecurityTests : IAsyncLifetime
{
    private TestBridge _bridge = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _bridge = await TestBridge.StartAsync(null, false, "--Api:Hosts:0=bridge.example.lan", "--Api:AllowedOrigins:0=https://console.example.com");
        _port = new Uri(_bridge.Url).Port;
    }

    public async Task DisposeAsync() => await _bridge.DisposeAsync();

    /// <summary>Sends a request by hand (so Host and Origin are exactly what a browser would send) and returns the status and headers.</summary>
    private async Task<(int Status, string Head)> SendAsync(string path, string host, params string[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        var stream = tcp.GetStream();
        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {host}\r\n");
        foreach (var h in headers) request.Append(h).Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1) head.Append((char)one[0]);
        var text = head.ToString();
        return (int.Parse(text.Split(' ')[1]), text);
    }

    private Task<(int Status, string Head)> UpgradeAsync(string host, params string[] headers) =>
        SendAsync($"/api/v1/ws?access_token={_bridge.Token()}", host,
            ["Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}", "Sec-WebSocket-Version: 13", .. headers]);

    [Theory]
    [InlineData("/")]
    [InlineData("/lib/core.js")]
    [InlineData("/js/app.js")]
    [InlineData("/no-such-file")]
    [InlineData("/api/v1/ws")]
    public async Task Every_response_carries_the_content_security_policy_and_no_referrer(string path)
    {
        var (_, head) = await SendAsync(path, $"127.0.0.1:{_port}");
        Assert.Contains("Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self';", head);
        Assert.Contains("frame-ancestors 'none'", head);
        Assert.Contains("Referrer-Policy: no-referrer", head);
    }

    [Fact]
    public async Task The_console_and_the_protocol_core_are_served_compressed_with_validators()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/lib/core.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var core = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, core.StatusCode);
        Assert.Contains("gzip", core.Content.Headers.ContentEncoding);
        Assert.NotNull(core.Headers.ETag);
        var source = await File.ReadAllTextAsync(Path.Combine(ConsoleBrowser.RepoRoot, "clients", "miniprogram", "sdk", "lib", "core.js"));
        using var plain = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip });
        Assert.Equal(source, await plain.GetStringAsync($"http://127.0.0.1:{_port}/lib/core.js"));
        var page = await plain.GetAsync($"http://127.0.0.1:{_port}/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("homeserver.local")]
    [InlineData("bridge.example.lan")]
    [InlineData("[::1]")]
    public async Task The_bridge_answers_by_its_addresses_and_names(string host)
    {
        var (status, _) = await SendAsync("/", $"{host}:{_port}");
        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("attacker.example.com")]
    [InlineData("local")]
    [InlineData("bridge.example.lan.attacker.com")]
    public async Task Another_name_is_refused_with_421_against_DNS_rebinding(string host)
    {
        var (status, _) = await SendAsync("/", $"{host}:{_port}");
        Assert.Equal(421, status);
        Assert.Equal(421, (await UpgradeAsync($"{host}:{_port}")).Status);
    }

    [Fact]
    public async Task The_421_carries_the_apis_json_error_body_byte_for_byte()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/");
        request.Headers.Host = $"attacker.example.com:{_port}";
        using var response = await http.SendAsync(request);
        await RefusalAssert.BodyAsync(response, HttpStatusCode.MisdirectedRequest,
            """{"ok":false,"error":{"code":"bad_request","message":"this bridge is not reached by the name 'attacker.example.com'; use its IP address, or add the name to Api:Hosts"}}""");
    }

    [Fact]
    public async Task A_WebSocket_from_another_web_origin_is_refused_with_403()
    {
        Assert.Equal(403, (await UpgradeAsync($"127.0.0.1:{_port}", "Origin: http://attacker.example.com")).Status);
        Assert.Equal(403, (await UpgradeAsync($"127.0.0.1:{_port}", "Origin: http://127.0.0.1:1")).Status);
    }

    [Theory]
    [InlineData("Origin: http://127.0.0.1:{port}")]                                // the console itself
    [InlineData("Origin: https://console.example.com")]                              // Api:AllowedOrigins
    [InlineData("Referer: https://servicewechat.com/wx1234567890abcdef/1/page-frame.html")] // a mini-program sends no Origin
    [InlineData("User-Agent: tool")]                                                 // no Origin at all
    [InlineData("Origin: null")]                                                     // not an http(s) origin
    public async Task WebSockets_from_the_console_listed_origins_and_mini_programs_open(string header)
    {
        var (status, head) = await UpgradeAsync($"127.0.0.1:{_port}", header.Replace("{port}", _port.ToString()));
        Assert.True(status == 101, head);
    }

    [Fact]
    public async Task Listed_hosts_and_origins_are_checked_at_start()
    {
        var problems = new List<string>();
        Assert.Null(Bridge.Service.Hosting.BridgeApp.Create(["--Api:Hosts:0=not a host", "--Api:AllowedOrigins:0=https://x.example/path"], problems));
        Assert.Contains(problems, p => p.Contains("Api:Hosts:0"));
        Assert.Contains(problems, p => p.Contains("Api:AllowedOrigins:0"));
        await Task.CompletedTask;
    }
}
