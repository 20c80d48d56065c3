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
}
