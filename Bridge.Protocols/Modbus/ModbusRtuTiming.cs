namespace Bridge.Protocols.Modbus;

/// <summary>Wire timing of one serial line (Modbus over Serial Line V1.02 §2.5.1.1), shared by the
/// bridge's master and the simulated slaves so both count the same milliseconds. Arithmetic only:
/// waiting out a gap is Bridge.Runtime's PreciseDelay.</summary>
public sealed class ModbusRtuTiming(int baud, bool parity, int stopBits)
{
    /// <summary>Start bit, 8 data bits, parity, stop bits.</summary>
    public int BitsPerChar { get; } = 1 + 8 + (parity ? 1 : 0) + stopBits;

    public int Baud { get; } = baud;

    public TimeSpan WireTime(int bytes) => TimeSpan.FromSeconds((double)bytes * BitsPerChar / Baud);

    /// <summary>The silence that ends a frame: 3.5 characters, or a fixed 1.75 ms above 19200 baud
    /// (the spec fixes it there because UART interrupt load would otherwise dominate).</summary>
    public TimeSpan InterFrameGap => Baud > 19200 ? TimeSpan.FromMilliseconds(1.75) : TimeSpan.FromSeconds(3.5 * BitsPerChar / Baud);
}
