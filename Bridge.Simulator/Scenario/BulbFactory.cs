using Bridge.Simulator.Yeelight;

namespace Bridge.Simulator.Scenario;

/// <summary>Yeelight bulbs from scenario specs: <c>"protocol":"yeelight","type":"ct_bulb"</c>, the
/// <c>id</c> is the bulb's own (<c>0x...</c>); state power, brightness, color_temp (K); faults
/// reply_delay_ms, ignore_commands, drop_rate, start_offline.</summary>
internal static class BulbFactory
{
    public const string Protocol = "yeelight";
    public const string Type = "ct_bulb";

    /// <summary>Throws <see cref="ArgumentException"/> or <see cref="FormatException"/> for an invalid state.</summary>
    public static SimulatedBulb Create(DeviceSpec spec, TimeProvider? time)
    {
        var bulb = new SimulatedBulb(spec.Id, spec.Name, time) { StartOffline = spec.StartOffline };
        bulb.SetState(DeviceFactory.Power(spec.State), DeviceFactory.Int(spec.State, "brightness"), DeviceFactory.Int(spec.State, "color_temp"));
        bulb.Faults.ReplyDelay = spec.ReplyDelay;
        bulb.Faults.IgnoreCommands = spec.IgnoreCommands;
        bulb.Faults.DropRate = spec.DropRate;
        return bulb;
    }
}
