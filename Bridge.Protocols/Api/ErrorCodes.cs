namespace Bridge.Protocols.Api;

/// <summary>The error codes of the v1 API.</summary>
public static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string UnknownOp = "unknown_op";
    public const string UnknownDevice = "unknown_device";
    public const string UnsupportedCapability = "unsupported_capability";
    public const string InvalidValue = "invalid_value";
    public const string DeviceOffline = "device_offline";
    public const string Timeout = "timeout";
    public const string Busy = "busy";
    public const string ProvisionFailed = "provision_failed";
    public const string Internal = "internal";
}
