namespace Bridge.Simulator.Shelly;

/// <summary>A Shelly RPC error as devices send it: <c>{"code":-103,"message":"..."}</c>.</summary>
internal readonly record struct RpcError(int Code, string Message)
{
    /// <summary>Bad or missing parameter.</summary>
    public const int InvalidArgument = -103;
    /// <summary>A component id that the device does not have.</summary>
    public const int NotFound = -105;
    /// <summary>The device cannot serve the call now (busy, e.g. updating).</summary>
    public const int Unavailable = -114;
    /// <summary>A method the device does not have.</summary>
    public const int NoHandler = 404;

    public static RpcError Missing(string name) => new(InvalidArgument, $"Missing required argument '{name}'!");
    public static RpcError Invalid(string name) => new(InvalidArgument, $"Invalid argument '{name}'!");
    public static RpcError NoSuchId(int id) => new(NotFound, $"Argument 'id', value {id} not found!");
    public static RpcError UnknownMethod(string method) => new(NoHandler, $"No handler for {method}");
}
