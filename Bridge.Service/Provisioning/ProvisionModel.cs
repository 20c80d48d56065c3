using System.Text;
using Bridge.Protocols.Api;

namespace Bridge.Service.Provisioning;

/// <summary>The progress steps of CONTRACT.md "Provisioning", in the only order they are sent.</summary>
public static class ProvisionSteps
{
    public const string Connecting = "connecting";
    public const string Sending = "sending";
    public const string Joining = "joining";
    public const string Provisioned = "provisioned";
    public const string Found = "found";
    public const string Adopted = "adopted";

    public static readonly string[] InOrder = [Connecting, Sending, Joining, Provisioned, Found, Adopted];
}

/// <summary>What an installer asked for. Holds the Wi-Fi password and proof of possession in
/// memory only for the run; <see cref="ToString"/> never shows them.</summary>
public sealed record ProvisionRequest(string Method, string Target, string Ssid, string Password, string? Pop = null, string? Username = null)
{
    /// <summary>Every problem with the request, in an installer's words; empty when it can be tried.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Target)) yield return "'target' is missing (a serial port such as /dev/ttyUSB0, or the device's address)";
        var ssidBytes = Encoding.UTF8.GetByteCount(Ssid ?? "");
        if (ssidBytes is 0 or > 32) yield return "'ssid' must be 1 to 32 bytes (the network's name)";
        if (Encoding.UTF8.GetByteCount(Password ?? "") > 64) yield return "'password' is longer than a Wi-Fi password can be (64)";
    }

    public override string ToString() => $"{Method} {Target} ssid={Ssid}";
}

/// <summary>What the device said when it joined: the URL it reported (if any) and names that help
/// find it on the LAN afterwards. <paramref name="DiscoveredId"/>: the id under which discovery
/// will list it, for a device that then needs adopting (a Shelly fresh from its access point);
/// <paramref name="AdoptAddress"/> and <paramref name="AdoptProtocol"/>: where to adopt a device
/// that announces nothing (a fresh Tasmota, on no broker, often without mDNS).</summary>
public sealed record ProvisionVerdict(string? Redirect, string? Address, string? Hostname, string? Name, string? DiscoveredId = null,
    string? AdoptAddress = null, string? AdoptProtocol = null);

/// <summary>A network as the device sees it (<c>wifi_networks</c>).</summary>
public sealed record WifiNetwork(string Ssid, int Rssi, bool Secure);

/// <summary>Provisioning failed; the message says why and what state the device was left in, in
/// an installer's words. Never carries a password.</summary>
public sealed class ProvisionFailedException(string message, string code = ErrorCodes.ProvisionFailed) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>One way of reaching an unprovisioned device (<c>method</c> in the request).</summary>
public interface IProvisioningMethod
{
    string Name { get; }

    /// <summary>Reaches the device, sends the credentials and waits for its verdict, reporting the
    /// steps connecting, sending and joining.</summary>
    Task<ProvisionVerdict> ProvisionAsync(ProvisionRequest request, Func<string, ValueTask> step, CancellationToken ct);

    /// <summary>The networks the device sees, strongest first.</summary>
    Task<IReadOnlyList<WifiNetwork>> ScanAsync(string target, CancellationToken ct);
}
