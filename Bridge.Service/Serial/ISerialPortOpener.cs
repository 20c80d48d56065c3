namespace Bridge.Service.Serial;

/// <summary>Opens a serial line as a byte stream. Only this seam touches System.IO.Ports, so the
/// Modbus master runs the same over a real port, a pseudo-terminal or a test stream.</summary>
public interface ISerialPortOpener
{
    /// <summary>Throws IOException or UnauthorizedAccessException when the port is absent or taken.</summary>
    Stream Open(SerialPortOptions port);
}
