namespace Bridge.Service.Commands;

/// <summary><c>Commands:*</c>.</summary>
public sealed class CommandOptions
{
    public const string Section = "Commands";

    /// <summary>How long a <c>set</c> waits for the device's own confirmation.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Commands allowed to wait for one device before new ones get <c>busy</c>.</summary>
    public int MaxQueuedPerDevice { get; set; } = 256;

    public IEnumerable<string> Validate()
    {
        if (ConfirmTimeout <= TimeSpan.Zero || ConfirmTimeout > TimeSpan.FromMinutes(5))
            yield return "Commands:ConfirmTimeout must be between 0 and 5 minutes (e.g. 00:00:05)";
        if (MaxQueuedPerDevice < 1) yield return "Commands:MaxQueuedPerDevice must be at least 1";
    }
}
