namespace Bridge.Simulator.Miio;

/// <summary>Simulated Xiaomi models with the MIoT properties PROTOCOLS.md §10.2 lists, in a documented
/// starting state: a bedside lamp, a Mijia air conditioner, a Viomi water heater.</summary>
public static class MiioModels
{
    public const string LampModel = "yeelink.light.bslamp2";
    public const string AcModel = "xiaomi.aircondition.mc4";
    public const string WaterHeaterModel = "viomi.waterheater.e8";

    /// <summary>Off, brightness 50 %, 4000 K: 2/1 on, 2/2 brightness 1–100, 2/3 colour temperature 1700–6500 K.</summary>
    public static SimulatedMiioDevice Lamp(uint did, string token, string name = "Bedside lamp", TimeProvider? time = null) =>
        new(did, LampModel, token, name,
            [SimulatedMiotProperty.Of(2, 1, false), SimulatedMiotProperty.Of(2, 2, 50, min: 1, max: 100), SimulatedMiotProperty.Of(2, 3, 4000, min: 1700, max: 6500)], time);

    /// <summary>Off, cool (2), 26 °C in steps of 0.5, fan level 0 (auto), room 28.5 °C: 2/1 power,
    /// 2/2 mode (2 cool, 3 dry, 4 fan, 5 heat), 2/4 target 16–31, 3/2 fan level 0–5, 4/7 room temperature (read only).</summary>
    public static SimulatedMiioDevice Ac(uint did, string token, string name = "Air conditioner", TimeProvider? time = null) =>
        new(did, AcModel, token, name,
            [SimulatedMiotProperty.Of(2, 1, false), SimulatedMiotProperty.Of(2, 2, 2, min: 2, max: 5), SimulatedMiotProperty.Of(2, 4, 26.0, min: 16, max: 31),
             SimulatedMiotProperty.Of(3, 2, 0, min: 0, max: 5), SimulatedMiotProperty.Of(4, 7, 28.5, writable: false)], time);

    /// <summary>On, target 45 °C, water at 38 °C: 2/6 on, 2/2 target 30–75, 2/3 temperature (read only), 2/5 mode.</summary>
    public static SimulatedMiioDevice WaterHeater(uint did, string token, string name = "Water heater", TimeProvider? time = null) =>
        new(did, WaterHeaterModel, token, name,
            [SimulatedMiotProperty.Of(2, 6, true), SimulatedMiotProperty.Of(2, 2, 45, min: 30, max: 75), SimulatedMiotProperty.Of(2, 3, 38, writable: false),
             SimulatedMiotProperty.Of(2, 5, 0, min: 0, max: 2)], time);
}

/// <summary>The demo home's Xiaomi lamp. Its token is the simulator's own, known to the demo (a real
/// device's token is read from the Xiaomi cloud and adopted by hand).</summary>
public static class MiioDemo
{
    public const uint LampDid = 271828182;
    public const string LampToken = "d3a0c0ffee5eed0123456789abcdef00";

    public static SimulatedMiioDevice Lamp(TimeProvider? time = null) => MiioModels.Lamp(LampDid, LampToken, "Bedside lamp", time);
}
