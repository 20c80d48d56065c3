namespace Bridge.Simulator.Shelly;

/// <summary>The Shelly part of the demo home (configs/scenarios/demo.json): a dimmer and a plug.</summary>
public static class ShellyDemo
{
    public static SimulatedDevice[] Devices(TimeProvider? time = null)
    {
        var hallway = new ShellyDimmer("shellydimmerg3-84fce63ad204", "Hallway lamp", time);
        hallway.SetState(power: false, brightness: 60);
        var kettle = new ShellyPlug("shellyplusplugs-e86beae8b1c0", "Kettle plug", time);
        kettle.SetState(power: false);
        return [hallway, kettle];
    }
}
