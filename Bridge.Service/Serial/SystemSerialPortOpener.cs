using System.IO.Ports;

namespace Bridge.Service.Serial;

/// <summary>Opens ports with System.IO.Ports (termios on Linux: baud, parity, stop bits, raw mode).</summary>
public sealed class SystemSerialPortOpener : ISerialPortOpener
{
    public Stream Open(SerialPortOptions options)
    {
        SerialPortOptions.TryParseParity(options.Parity, out var parity);
        var port = new SerialPort(options.Path, options.Baud, parity, 8, options.StopBits == 2 ? StopBits.Two : StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = 2000,
        };
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }
        return new OwnedPortStream(port);
    }

    /// <summary>The port's stream, closing the port with it.</summary>
    private sealed class OwnedPortStream(SerialPort port) : Stream
    {
        private readonly Stream _inner = port.BaseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => _inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => _inner.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _inner.ReadAsync(buffer, ct);
        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => _inner.WriteAsync(buffer, ct);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try { port.Dispose(); }
                catch (IOException) { } // the device may already be gone
            }
            base.Dispose(disposing);
        }
    }
}
