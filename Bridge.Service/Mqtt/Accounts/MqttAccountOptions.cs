namespace Bridge.Service.Mqtt.Accounts;

/// <summary><c>Mqtt:Accounts:&lt;n&gt;:*</c>: a broker account made by hand, for a device that was pointed at
/// the bridge without being adopted (or for a tool). Its password comes from a file (<see cref="PasswordFile"/>)
/// or the secret store (<see cref="PasswordSecret"/>), never from the configuration itself. Its rights are
/// those of a device of <see cref="Protocol"/> with id <see cref="Device"/> (and <see cref="Mac"/>), plus
/// any topics listed in <see cref="Publish"/> and <see cref="Subscribe"/>.</summary>
public sealed class MqttAccountOptions
{
    public string? Username { get; set; }
    /// <summary>A file holding the password (its first line).</summary>
    public string? PasswordFile { get; set; }
    /// <summary>The name of a secret in the store holding the password, or its <c>pbkdf2-sha256$…</c> hash.</summary>
    public string? PasswordSecret { get; set; }
    public string? Protocol { get; set; }
    public string? Device { get; set; }
    public string? Mac { get; set; }
    public List<string> Publish { get; set; } = [];
    public List<string> Subscribe { get; set; } = [];

    public IEnumerable<string> Validate(int index)
    {
        var at = $"Mqtt:Accounts:{index}";
        if (string.IsNullOrWhiteSpace(Username)) yield return $"{at}:Username is missing";
        if (string.IsNullOrEmpty(PasswordFile) == string.IsNullOrEmpty(PasswordSecret))
            yield return $"{at}: set exactly one of PasswordFile and PasswordSecret (a password is never written in the settings)";
        else if (!string.IsNullOrEmpty(PasswordFile) && !File.Exists(PasswordFile))
            yield return $"{at}:PasswordFile '{PasswordFile}' does not exist";
        if (string.IsNullOrEmpty(Protocol) != string.IsNullOrEmpty(Device))
            yield return $"{at}: Protocol and Device go together (the device's rights derive from its protocol)";
        if (string.IsNullOrEmpty(Protocol) && Publish.Count == 0 && Subscribe.Count == 0)
            yield return $"{at}: give it rights: Protocol and Device, or Publish/Subscribe topics";
        foreach (var topic in Publish.Concat(Subscribe))
            if (!ValidFilter(topic)) yield return $"{at}: '{topic}' is not an MQTT topic filter";
    }

    private static bool ValidFilter(string filter)
    {
        if (string.IsNullOrEmpty(filter)) return false;
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level == "#" && i != levels.Length - 1) return false;
            if (level.Length > 1 && (level.Contains('#') || level.Contains('+'))) return false;
        }
        return true;
    }
}
