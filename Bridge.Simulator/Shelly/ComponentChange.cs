namespace Bridge.Simulator.Shelly;

/// <summary>What an RPC or a button press changed on the device's one component, for NotifyStatus.</summary>
internal struct ComponentChange
{
    public bool Output;
    public bool Brightness;
    public string Source;

    public readonly bool Any => Output || Brightness;
}
