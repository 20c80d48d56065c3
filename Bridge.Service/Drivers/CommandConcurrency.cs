namespace Bridge.Service.Drivers;

/// <summary>How a protocol lets several commands to one device overlap: the concurrency trait a
/// driver declares for each device (see docs/architecture "One command's path").</summary>
public enum CommandConcurrency
{
    /// <summary>One at a time: the next command goes out once the one before it is confirmed or has
    /// failed (a Modbus line, a command that carries the whole state such as Tasmota's IRHVAC).</summary>
    Serial,

    /// <summary>All go out at once and the device answers in the order it got them: a report confirms
    /// the oldest pending command whose values it carries (Tasmota's stat/&lt;t&gt;/RESULT).</summary>
    Ordered,

    /// <summary>All go out at once and each reply carries its request's id: the driver confirms a
    /// command from its own reply (Shelly RPC, Yeelight).</summary>
    Correlated,
}
