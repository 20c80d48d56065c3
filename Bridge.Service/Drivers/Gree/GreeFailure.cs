namespace Bridge.Service.Drivers.Gree;

/// <summary>Why an adopted Gree unit is offline, in the words the installer reads.</summary>
public enum GreeFailure
{
    None,
    /// <summary>No answer to status polls nor to a scan: off, moved, or firmware that closed UDP 7000.</summary>
    NoAnswer,
    /// <summary>It answers its scan but not our key, and would not bind again.</summary>
    KeyRejected,
}

public static class GreeFailures
{
    public const string KeyRejectedMessage = "its key was rejected and it refused a new bind — adopt it again (the bridge binds by itself, nothing to paste)";
    public const string NoAnswerMessage = "it does not answer on UDP 7000 — is it powered and on this network? (some firmware from late 2025 on closes UDP 7000 and works only through the Gree cloud)";

    public static string Message(this GreeFailure f) => f switch
    {
        GreeFailure.KeyRejected => KeyRejectedMessage,
        GreeFailure.NoAnswer => NoAnswerMessage,
        _ => "",
    };
}
