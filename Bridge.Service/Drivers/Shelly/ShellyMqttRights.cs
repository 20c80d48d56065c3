using System.Buffers;
using System.Text.Json;
using Bridge.Protocols.Shelly;
using Bridge.Service.Mqtt.Accounts;
using Bridge.Service.Security;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>What a Shelly Gen2+ may do on the bridge's broker (PROTOCOLS.md, Shelly JSON-RPC over MQTT): publish
/// under its own prefix (<c>&lt;id&gt;/online</c>, <c>&lt;id&gt;/events/rpc</c>, <c>&lt;id&gt;/status/…</c>), listen
/// to its own <c>&lt;id&gt;/rpc</c> (and <c>&lt;id&gt;/command</c>), and answer the bridge on the bridge's reply
/// topic <c>&lt;bridge src&gt;/rpc</c>, which all Shellys share: there only a frame whose <c>src</c> is its own id
/// passes, so one device cannot answer for another. The id must look like a Shelly's
/// (<c>shelly&lt;model&gt;-&lt;mac&gt;</c>): its prefix must never cover another protocol's topics.</summary>
public sealed class ShellyMqttRights(BridgeIdentity identity) : IMqttDeviceRights
{
    // Not the RPC client itself: it needs the MQTT link, which needs the broker, which needs these rights.
    private const int MaxSrcScanBytes = 64 * 1024;

    public string Protocol => ShellyDriver.DriverName;

    public IReadOnlyList<string> RequiredFacts { get; } = [];

    public MqttRights? For(string deviceId, IReadOnlyDictionary<string, string> facts, out string? problem)
    {
        problem = null;
        if (!deviceId.StartsWith("shelly", StringComparison.Ordinal) || deviceId.Length is < 7 or > 64
            || !deviceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            problem = $"'{deviceId}' is not a Shelly device id (shelly<model>-<mac>)";
            return null;
        }
        return new MqttRights(
            publish: [deviceId + "/#"],
            subscribe: [ShellyTopics.Rpc(deviceId), deviceId + "/command"],
            guarded: [new GuardedTopic(ShellyTopics.Replies(ShellyRpcClient.SourceOf(identity)), payload => SourceIs(payload, deviceId))]);
    }

    /// <summary>Whether the frame's top-level <c>src</c> is <paramref name="id"/>, given exactly once (a second
    /// <c>src</c> could name another device to a reader that takes the last one).</summary>
    public static bool SourceIs(ReadOnlySequence<byte> payload, string id)
    {
        if (payload.Length > MaxSrcScanBytes) return false;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            var own = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSrc = reader.ValueTextEquals("src"u8);
                if (!reader.Read()) return false;
                if (isSrc)
                {
                    if (own || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(id)) return false;
                    own = true;
                }
                else reader.Skip();
            }
            return own && reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
