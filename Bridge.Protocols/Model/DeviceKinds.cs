namespace Bridge.Protocols.Model;

/// <summary>The device kinds of the v1 contract.</summary>
public static class DeviceKinds
{
    public const string Light = "light";
    public const string Plug = "plug";
    public const string AirConditioner = "air_conditioner";
    public const string WaterHeater = "water_heater";
    public const string Sensor = "sensor";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Light, Plug, AirConditioner, WaterHeater, Sensor };
}
