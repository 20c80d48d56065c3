using Bridge.Protocols.Tuya;

namespace Bridge.Simulator.Tuya;

/// <summary>The Tuya part of the demo home: one CW bulb (protocol 3.4), off, white, brightness 500 of 10–1000,
/// warmest colour temperature. Its local key is the simulator's own, known to the demo (a real device's key is read
/// from the Tuya IoT platform and pasted into <c>adopt</c> by hand).</summary>
public static class TuyaDemo
{
    public const string BulbDevId = "bf5d3e0demo0bulb0001";
    public const string BulbLocalKey = "d3m0Bulb|Key#16c";
    public const string BulbProductKey = "simbulbcw000001";

    public static SimulatedTuyaDevice Bulb(TimeProvider? time = null) =>
        new(BulbDevId, BulbLocalKey, TuyaVersion.V34, BulbProductKey, "Hall ceiling light",
            [new("20", TuyaDpValue.Of(false)), new("21", TuyaDpValue.Of("white")), new("22", TuyaDpValue.Of(500)), new("23", TuyaDpValue.Of(0))], time);
}
