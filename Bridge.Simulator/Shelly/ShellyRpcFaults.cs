namespace Bridge.Simulator.Shelly;

/// <summary>Faults of a Shelly's local RPC beyond the common ones (<see cref="DeviceFaults"/>: delay,
/// ignore, drop); settable at run time from any thread.</summary>
public sealed class ShellyRpcFaults
{
    private volatile bool _errorReplies;
    private volatile bool _refuseReboot;

    /// <summary>Every local RPC is answered with an error (-114, as a device that is busy updating does).</summary>
    public bool ErrorReplies
    {
        get => _errorReplies;
        set => _errorReplies = value;
    }

    /// <summary>Shelly.Reboot is acknowledged but the device keeps running as it was (a firmware that
    /// needs a power cycle): new MQTT settings never take effect.</summary>
    public bool RefuseReboot
    {
        get => _refuseReboot;
        set => _refuseReboot = value;
    }
}
