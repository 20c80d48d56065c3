namespace Bridge.Simulator.Tasmota;

/// <summary>The Tasmota part of the demo home (configs/scenarios/demo.json): a CT lamp, an IR air
/// conditioner and a thermostat water heater.</summary>
public static class TasmotaDemo
{
    public static SimulatedDevice[] Devices(TimeProvider? time = null)
    {
        var lamp = new TasmotaLight("lamp-1", "Living room lamp", "4C11AE0D1A01", colorTemperature: true, time: time);
        lamp.SetState(power: false, dimmer: 40, ctMireds: 370);
        var ac = new TasmotaIrHvac("ac-1", "Bedroom air conditioner", "4C11AE0D1A02", time: time);
        ac.SetState(power: false, mode: "Cool", fanSpeed: "Auto", target: 26, room: 27.5);
        var heater = new TasmotaWaterHeater("water-heater-1", "Bathroom water heater", "4C11AE0D1A03", time: time);
        heater.SetState(on: true, target: 50, water: 48);
        return [lamp, ac, heater];
    }

    /// <summary>The load-test home: <paramref name="count"/> CT lamps <c>lamp-1</c>..<c>lamp-N</c> ("Lamp N"), off,
    /// Dimmer 50, CT 300, each with a MAC of its own.</summary>
    public static SimulatedDevice[] Lamps(int count, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var lamps = new SimulatedDevice[count];
        for (var i = 1; i <= count; i++)
        {
            var lamp = new TasmotaLight($"lamp-{i}", $"Lamp {i}", MacAddress.Numbered(i), colorTemperature: true, time: time);
            lamp.SetState(power: false, dimmer: 50, ctMireds: 300);
            lamps[i - 1] = lamp;
        }
        return lamps;
    }
}
