namespace Bridge.Relay.Backplane;

/// <summary>The shared state (Redis) cannot be reached now: what needs another node fails with this
/// at once rather than waiting; what this node can answer alone goes on.</summary>
public sealed class BackplaneUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
