using Bridge.Tests.Infrastructure;
using System.Net.WebSockets;
using System.Text;

namespace Bridge.Tests.Service.Api;

/// <summary>Bad requests get the contract's error code and a message; the connection stays usable.</summary>
public sealed class BadInputApiTests(DemoBridgeFixture fixture) : IClassFixture<DemoBridgeFixture>
{
    private TestBridge Bridge => fixture.Bridge;

    [Theory]
    [InlineData("{not json", "bad_request")]
    [InlineData("[1,2,3]", "bad_request")]
    [InlineData("{\"op\":\"ping\"}", "bad_request")]
    [InlineData("{\"id\":\"x1\"}", "bad_request")]
    [InlineData("{\"id\":\"x2\",\"op\":\"fly\"}", "unknown_op")]
    [InlineData("{\"id\":\"x3\",\"op\":\"get\"}", "bad_request")]
    [InlineData("{\"id\":\"x4\",\"op\":\"get\",\"device\":\"no-such\"}", "unknown_device")]
    [InlineData("{\"id\":\"x5\",\"op\":\"set\",\"device\":\"no-such\",\"state\":{\"power\":\"on\"}}", "unknown_device")]
    [InlineData("{\"id\":\"x6\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"colour\":\"red\"}}", "unsupported_capability")]
    [InlineData("{\"id\":\"x7\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"brightness\":101}}", "invalid_value")]
    [InlineData("{\"id\":\"x8\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"brightness\":0}}", "invalid_value")]
    [InlineData("{\"id\":\"x9\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"brightness\":\"50\"}}", "invalid_value")]
    [InlineData("{\"id\":\"x10\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"brightness\":50.5}}", "invalid_value")]
    [InlineData("{\"id\":\"x11\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{\"power\":\"maybe\"}}", "invalid_value")]
    [InlineData("{\"id\":\"x12\",\"op\":\"set\",\"device\":\"ac-1\",\"state\":{\"target_temperature\":24.3}}", "invalid_value")]
    [InlineData("{\"id\":\"x13\",\"op\":\"set\",\"device\":\"ac-1\",\"state\":{\"target_temperature\":31}}", "invalid_value")]
    [InlineData("{\"id\":\"x14\",\"op\":\"set\",\"device\":\"ac-1\",\"state\":{\"current_temperature\":20}}", "unsupported_capability")]
    [InlineData("{\"id\":\"x15\",\"op\":\"set\",\"device\":\"ac-1\",\"state\":{\"mode\":\"turbo\"}}", "invalid_value")]
    [InlineData("{\"id\":\"x16\",\"op\":\"set\",\"device\":\"lamp-1\"}", "bad_request")]
    [InlineData("{\"id\":\"x17\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":{}}", "bad_request")]
    [InlineData("{\"id\":\"x18\",\"op\":\"set\",\"device\":\"lamp-1\",\"state\":\"on\"}", "bad_request")]
    [InlineData("{\"id\":\"x20\",\"op\":\"ping\"} {\"id\":\"x21\",\"op\":\"ping\"}", "bad_request")]
    [InlineData("{\"id\":\"x19\",\"op\":\"set\",\"device\":\"water-heater-1\",\"state\":{\"target_temperature\":80}}", "invalid_value")]
    public async Task Bad_requests_get_the_right_error_and_the_connection_stays_up(string frame, string code)
    {
        await using var client = await Bridge.ConnectAsync();
        var reply = await client.SendRawAsync(frame);
        JsonAssert.Error(reply, code);
        if (frame.Contains("\"id\":\"x"))
            Assert.StartsWith("x", reply.GetProperty("id").GetString());
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Nothing_reaches_the_device_when_a_value_is_refused()
    {
        await using var client = await Bridge.ConnectAsync();
        var lamp = Bridge.Home["lamp-1"];
        var commands = 0;
        void Count(string _) => Interlocked.Increment(ref commands);
        lamp.CommandReceived += Count;
        try
        {
            var reply = await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on", brightness = 500 } });
            JsonAssert.Error(reply, "invalid_value");
            // A set after the refusal travels the same path; a command sent for the refused
            // request would have reached the simulated lamp before this one.
            JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 60 } }));
            // The lamp raises its event after answering, so its count may trail the reply.
            await Wait.UntilAsync(() => Volatile.Read(ref commands) >= 1, TimeSpan.FromSeconds(5), "the lamp's command event");
        }
        finally
        {
            lamp.CommandReceived -= Count;
        }
        Assert.Equal(1, commands);
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_and_the_next_frame_works()
    {
        await using var client = await Bridge.ConnectAsync();
        var big = "{\"id\":\"big\",\"op\":\"ping\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}";
        var reply = await client.SendRawAsync(big);
        JsonAssert.Error(reply, "bad_request");
        Assert.Contains("65536", reply.GetProperty("error").GetProperty("message").GetString());
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Binary_frames_are_refused_and_the_connection_stays_up()
    {
        await using var client = await Bridge.ConnectAsync();
        await client.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        JsonAssert.Error(await client.NextUnmatchedAsync(), "bad_request");
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_text_frame_closes_only_that_connection()
    {
        // RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (close code 1007).
        await using var client = await Bridge.ConnectAsync();
        await client.SendBytesAsync([0x7B, 0xFF, 0xFE, 0x7D]);
        await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(() => client.NextUnmatchedAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
        await using var another = await Bridge.ConnectAsync();
        JsonAssert.Ok(await another.RequestAsync(new { op = "ping" }));
    }

    [Fact]
    public async Task Random_garbage_frames_never_close_the_connection()
    {
        await using var client = await Bridge.ConnectAsync();
        var random = new Random(1234);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            // Mostly JSON-looking garbage, sometimes plain noise.
            var text = i % 2 == 0 ? "{\"id\":\"g" + i + "\",\"op\":" + Encoding.Latin1.GetString(bytes) : Encoding.Latin1.GetString(bytes);
            await client.SendTextAsync(text);
        }
        JsonAssert.Ok(await client.RequestAsync(new { op = "ping" }));
        Assert.Equal(WebSocketState.Open, client.State);
    }
}
