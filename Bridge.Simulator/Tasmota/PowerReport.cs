namespace Bridge.Simulator.Tasmota;

/// <summary>What a Tasmota command changed that is also reported as plain <c>stat/&lt;t&gt;/POWER</c>.</summary>
internal enum PowerReport
{
    None,
    Off,
    On,
}
