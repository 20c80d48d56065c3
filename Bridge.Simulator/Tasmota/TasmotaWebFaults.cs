namespace Bridge.Simulator.Tasmota;

/// <summary>Faults of a Tasmota's HTTP command API beyond the common ones (<see cref="DeviceFaults"/>: delay,
/// ignore = leave the request unanswered); settable at run time from any thread.</summary>
public sealed class TasmotaWebFaults
{
    private volatile bool _garbageAnswers;
    private volatile bool _neverReconnects;

    /// <summary>Every <c>/cm</c> request is answered 200 with bytes that are no JSON (a captive portal, another
    /// firmware, a broken build).</summary>
    public bool GarbageAnswers
    {
        get => _garbageAnswers;
        set => _garbageAnswers = value;
    }

    /// <summary>The device takes its new MQTT settings and restarts, but never reaches the broker (a firewall,
    /// a typo in the address as the device resolves it).</summary>
    public bool NeverReconnects
    {
        get => _neverReconnects;
        set => _neverReconnects = value;
    }
}
