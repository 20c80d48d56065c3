using System.Net;
using Bridge.Service.Drivers.Shelly;

namespace Bridge.Tests.Service.Drivers.Shelly;

/// <summary>The bridge's Shelly local RPC client against replies no real Shelly sends: anything on the
/// LAN can announce itself as one.</summary>
public sealed class ShellyLocalRpcClientTests
{
    /// <summary>Answers every request with a reply of <c>size</c> bytes and no Content-Length (chunked).</summary>
    private sealed class EndlessReply(long size) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var content = new StreamContent(new EndlessStream(size));
            Assert.Null(content.Headers.ContentLength);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    /// <summary>Answers with a body whose connection breaks after the headers.</summary>
    private sealed class BrokenReply : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BrokenStream()) });
    }

    private sealed class BrokenStream : EndlessStreamBase
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset by peer");
    }

    private abstract class EndlessStreamBase : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>'[' bytes up to <c>size</c>, never seekable, so no length is known up front.</summary>
    private sealed class EndlessStream(long size) : EndlessStreamBase
    {
        private long _left = size;
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            buffer.AsSpan(offset, n).Fill((byte)'[');
            _left -= n;
            return n;
        }
    }

    [Fact]
    public async Task A_reply_without_length_is_read_only_up_to_the_limit()
    {
        using var http = new HttpClient(new EndlessReply(64L * 1024 * 1024 * 1024)) { Timeout = Timeout.InfiniteTimeSpan };
        var rpc = new ShellyLocalRpc(http, TimeProvider.System);
        var e = await Assert.ThrowsAsync<ShellyUnreachableException>(() =>
            rpc.CallAsync(new IPEndPoint(IPAddress.Loopback, 9), "Shelly.GetDeviceInfo", null, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Contains("over", e.Message);
    }

    [Fact]
    public async Task A_connection_that_breaks_during_the_reply_is_unreachable_not_internal()
    {
        using var http = new HttpClient(new BrokenReply()) { Timeout = Timeout.InfiniteTimeSpan };
        var rpc = new ShellyLocalRpc(http, TimeProvider.System);
        await Assert.ThrowsAsync<ShellyUnreachableException>(() =>
            rpc.CallAsync(new IPEndPoint(IPAddress.Loopback, 9), "Shelly.GetDeviceInfo", null, TimeSpan.FromMinutes(1), CancellationToken.None));
    }
}
