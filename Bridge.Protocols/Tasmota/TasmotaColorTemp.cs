namespace Bridge.Protocols.Tasmota;

/// <summary>Tasmota's CT is in mireds (153 cold .. 500 warm); the contract speaks kelvin.</summary>
public static class TasmotaColorTemp
{
    public const int MinMired = 153;
    public const int MaxMired = 500;

    public static int KelvinToMired(double kelvin) =>
        Math.Clamp((int)Math.Round(1_000_000.0 / kelvin), MinMired, MaxMired);

    public static int MiredToKelvin(double mired) => (int)Math.Round(1_000_000.0 / Math.Max(1, mired));
}
