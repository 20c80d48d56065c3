namespace Bridge.Protocols.Tuya;

/// <summary>What a Tuya device says about itself in its discovery broadcast (PROTOCOLS.md §10.1):
/// <c>gwId</c> (its device id), <c>ip</c>, <c>productKey</c>, <c>version</c>; never a key.</summary>
public sealed record TuyaAnnouncement(string DeviceId, string Ip, string? ProductKey, TuyaVersion Version)
{
    /// <summary>The text of <c>version</c> as sent (3.2 is read as 3.3).</summary>
    public string VersionText { get; init; } = Version.Text();
}
