namespace Bridge.Service.Drivers.Shelly;

/// <summary>A Shelly's local RPC (HTTP) could not be used: no connection, no answer in time, or an
/// answer that is no JSON-RPC frame.</summary>
public sealed class ShellyUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The Shelly answered with a JSON-RPC error (e.g. -103 invalid argument).</summary>
public sealed class ShellyRpcErrorException(string method, int code, string deviceMessage)
    : Exception($"{method} failed on the device: {code} {deviceMessage}")
{
    public int Code { get; } = code;
}
