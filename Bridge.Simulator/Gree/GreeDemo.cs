namespace Bridge.Simulator.Gree;

/// <summary>The Gree part of the demo home: one split air conditioner (V1 firmware), off, 26 °C set, 27 °C in the room.</summary>
public static class GreeDemo
{
    public static SimulatedGreeAc[] Units() => [new SimulatedGreeAc("c8f742a1b2c3", "Bedroom AC")];
}
