using System.Text.Json;

namespace Bridge.Simulator.Scenario;

/// <summary>One device as a scenario file describes it.</summary>
internal sealed record DeviceSpec
{
    public required string Protocol { get; init; }
    public required string Type { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Mac { get; init; }
    public string? Module { get; init; }
    public string? Ip { get; init; }
    public int? TelePeriod { get; init; }
    /// <summary>The <c>state</c> object (contract terms: power, brightness, color_temp, ...), or undefined.</summary>
    public JsonElement State { get; init; }
    public TimeSpan ReplyDelay { get; init; }
    public bool IgnoreCommands { get; init; }
    public double DropRate { get; init; }
    /// <summary>The device is switched off at start: <see cref="ISimulatedTwin.StartAsync"/> leaves it unreachable.</summary>
    public bool StartOffline { get; init; }
    /// <summary>false: a Shelly fresh out of the box, MQTT off, reachable only by its local RPC (and mDNS).</summary>
    public bool Adopted { get; init; } = true;
    /// <summary>A Shelly that also serves its local RPC over HTTP (always so when not adopted).</summary>
    public bool LocalRpc { get; init; }
    public bool RpcErrors { get; init; }
    public bool RefuseReboot { get; init; }
}
