using Bridge.Protocols.Api;

namespace Bridge.Service.Drivers;

/// <summary>Why a command failed, in the API's terms.</summary>
public sealed record CommandFailure(string Code, string Message)
{
    public static CommandFailure Offline(string device, string? reason = null) =>
        new(ErrorCodes.DeviceOffline, reason is null ? $"device '{device}' is offline" : $"device '{device}' is offline: {reason}");
    public static CommandFailure Unknown(string device) => new(ErrorCodes.UnknownDevice, $"no device '{device}'");
    public static CommandFailure TimedOut(string device, TimeSpan after) =>
        new(ErrorCodes.Timeout, $"device '{device}' did not confirm within {after.TotalSeconds:0.###} s");
}

/// <summary>A failure a driver or transport raises; translated into a reply at the API boundary.</summary>
public sealed class CommandFailedException(CommandFailure failure, Exception? cause = null) : Exception(failure.Message, cause)
{
    public CommandFailure Failure { get; } = failure;
}
