namespace Bridge.Simulator.Yeelight;

/// <summary>The Yeelight part of the demo home (configs/scenarios/demo.json): two CT bulbs.</summary>
public static class YeelightDemo
{
    public static SimulatedBulb[] Bulbs(TimeProvider? time = null)
    {
        var desk = new SimulatedBulb("0x0000000007e1d001", "Study desk bulb", time);
        desk.SetState(power: false, bright: 70, ct: 4000);
        var bedside = new SimulatedBulb("0x0000000007e1d002", "Bedside bulb", time);
        bedside.SetState(power: false, bright: 30, ct: 2700);
        return [desk, bedside];
    }
}
