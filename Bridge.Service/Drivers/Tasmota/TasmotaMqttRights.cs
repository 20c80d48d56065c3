using Bridge.Protocols.Tasmota;
using Bridge.Service.Mqtt.Accounts;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>What a Tasmota device may do on the bridge's broker (PROTOCOLS.md, Tasmota MQTT): report on its
/// own <c>tele/&lt;topic&gt;/…</c> and <c>stat/&lt;topic&gt;/…</c>, announce itself under its own MAC
/// (<c>tasmota/discovery/&lt;MAC&gt;/…</c>), and listen to its own commands: <c>cmnd/&lt;topic&gt;/…</c>, the group
/// topic <c>cmnd/tasmotas/…</c> and its fallback topic <c>cmnd/DVES_XXXXXX_fb/…</c>, which every Tasmota
/// subscribes to. The device id is its topic; the fact <c>mac</c> is its MAC (12 hex digits).</summary>
public sealed class TasmotaMqttRights : IMqttDeviceRights
{
    public const string MacFact = "mac";
    private const string GroupTopic = "tasmotas";

    public string Protocol => TasmotaDriver.DriverName;

    public IReadOnlyList<string> RequiredFacts { get; } = [MacFact];

    public MqttRights? For(string deviceId, IReadOnlyDictionary<string, string> facts, out string? problem)
    {
        problem = null;
        if (!IsOneLevel(deviceId) || deviceId == GroupTopic)
        {
            problem = $"'{deviceId}' cannot be a Tasmota topic here (one level of letters, digits, '_', '-'; not the group topic)";
            return null;
        }
        var mac = facts.GetValueOrDefault(MacFact, "").Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        if (mac.Length != 12 || !mac.All(Uri.IsHexDigit))
        {
            problem = "a Tasmota device's 'mac' must be 12 hex digits";
            return null;
        }
        return new MqttRights(
            publish: [$"{TasmotaTopics.Telemetry}/{deviceId}/#", $"{TasmotaTopics.Status}/{deviceId}/#", $"{TasmotaTopics.DiscoveryPrefix}{mac}/#"],
            subscribe: [$"{TasmotaTopics.Command}/{deviceId}/#", $"{TasmotaTopics.Command}/{GroupTopic}/#", $"{TasmotaTopics.Command}/DVES_{mac[6..]}_fb/#"]);
    }

    private static bool IsOneLevel(string s) =>
        s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
