using System.Net;

namespace Bridge.Tests.Infrastructure;

/// <summary>Loopback addresses for simulated LAN devices (Tuya, Gree, Xiaomi), one device each, so
/// devices on fixed protocol ports can run side by side in one network namespace.</summary>
public static class LoopbackAddresses
{
    private static int _next = Random.Shared.Next(1, 1 << 20);

    /// <summary>A loopback address no other test uses: 127.(1..254).(0..255).(1..254) from a shared counter.</summary>
    public static IPAddress Next()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, (byte)(1 + n / (256 * 254) % 254), (byte)(n / 254 % 256), (byte)(1 + n % 254)]);
    }
}
