namespace Bridge.Simulator;

/// <summary>Where a simulated home's twins meet the bridge: the MQTT broker the MQTT devices join, and whether
/// the LAN devices answer searches on their protocol's own group or port (<paramref name="Multicast"/>: only
/// inside a network namespace whose loopback carries multicast) or on a loopback port of their own.</summary>
public sealed record HomeNetwork(string BrokerHost, int BrokerPort, bool Multicast);
