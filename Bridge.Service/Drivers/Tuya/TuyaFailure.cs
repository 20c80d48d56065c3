namespace Bridge.Service.Drivers.Tuya;

/// <summary>Why a Tuya connection is down, in the words the installer reads.</summary>
public enum TuyaFailure
{
    None,
    /// <summary>Nothing answers on the device's port (off, moved, or not there).</summary>
    Unreachable,
    /// <summary>The device answered in a key that is not ours: it was re-paired in its app.</summary>
    KeyRejected,
    /// <summary>The device accepted TCP and closed it before saying anything: its one client slot is taken.</summary>
    AppHoldsConnection,
    /// <summary>Connected, but the device stopped answering (handshake, query or heartbeats).</summary>
    NoAnswer,
}

public static class TuyaFailures
{
    public const string KeyRejectedMessage = "its key was rejected — adopt it again with the new key";
    public const string AppHoldsMessage = "the Tuya / Smart Life app (or another client) holds the device's only LAN connection — close the app and the bridge reconnects by itself";

    public static string Message(this TuyaFailure f) => f switch
    {
        TuyaFailure.KeyRejected => KeyRejectedMessage,
        TuyaFailure.AppHoldsConnection => AppHoldsMessage,
        TuyaFailure.Unreachable => "nothing answers at its address",
        TuyaFailure.NoAnswer => "it stopped answering",
        _ => "",
    };
}
