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

    /// <summary><paramref name="count"/> CT bulbs (<c>0x...b0001</c> up, "Bulb N"), off, bright 50, ct 4000.</summary>
    public static SimulatedBulb[] Numbered(int count, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bulbs = new SimulatedBulb[count];
        for (var i = 1; i <= count; i++)
        {
            var bulb = new SimulatedBulb($"0x{0xb0000 + i:x}", $"Bulb {i}", time);
            bulb.SetState(power: false, bright: 50, ct: 4000);
            bulbs[i - 1] = bulb;
        }
        return bulbs;
    }
}
