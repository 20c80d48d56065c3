namespace Bridge.Service.Drivers.Miio;

/// <summary>Why a Xiaomi device cannot be talked to, in the words the installer reads.</summary>
public enum MiioFailure
{
    None,
    /// <summary>Not even the hello is answered: off, moved, or hung.</summary>
    NoAnswer,
    /// <summary>The device answers hellos but not our requests, or answers in another token: it was
    /// re-bound in Mi Home and has a new token.</summary>
    TokenRejected,
}

public static class MiioFailures
{
    public const string TokenRejectedMessage = "its token was rejected — adopt it again with the new token";
    public const string NoAnswerMessage = "it stopped answering";

    public static string Message(this MiioFailure f) => f switch
    {
        MiioFailure.TokenRejected => TokenRejectedMessage,
        MiioFailure.NoAnswer => NoAnswerMessage,
        _ => "",
    };
}

/// <summary>A call to a device that failed for <see cref="Why"/>; the message never holds the token.</summary>
public sealed class MiioCallException(MiioFailure why, string message) : Exception(message)
{
    public MiioFailure Why { get; } = why;
}
