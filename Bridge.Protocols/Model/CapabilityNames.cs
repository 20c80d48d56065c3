namespace Bridge.Protocols.Model;

/// <summary>The capability names of the v1 contract.</summary>
public static class CapabilityNames
{
    public const string Power = "power";
    public const string Brightness = "brightness";
    public const string ColorTemp = "color_temp";
    public const string Mode = "mode";
    public const string FanSpeed = "fan_speed";
    public const string TargetTemperature = "target_temperature";
    public const string CurrentTemperature = "current_temperature";
}
