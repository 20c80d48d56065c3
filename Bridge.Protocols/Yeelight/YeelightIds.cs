namespace Bridge.Protocols.Yeelight;

/// <summary>How the bridge names a Yeelight bulb: <c>yeelight-</c> and the 16 hex digits of its
/// own id, so the name is stable whatever address the bulb has.</summary>
public static class YeelightIds
{
    public const string Prefix = "yeelight-";

    /// <param name="yeelightId">A normalised id (<see cref="YeelightSearch.TryNormaliseId"/>).</param>
    public static string DeviceId(string yeelightId) => Prefix + yeelightId[2..];
}
