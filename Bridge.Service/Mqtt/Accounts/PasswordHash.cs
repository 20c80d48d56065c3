using System.Security.Cryptography;
using System.Text;

namespace Bridge.Service.Mqtt.Accounts;

/// <summary>Broker passwords kept as PBKDF2-SHA256 hashes: <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>
/// (base64). Checked once per CONNECT, never per publish.</summary>
public static class PasswordHash
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Enough for the bridge's own random passwords (190 bits: there is no guessing to slow down),
    /// cheap enough that a home of 1,000 devices reconnecting at once costs seconds of CPU, not minutes.
    /// Accounts by hand are hashed in memory only (their password is in their own file), so an offline
    /// guess at a hash on disk never concerns a password a person chose.</summary>
    public const int Iterations = 10_000;

    /// <summary>A random password of 32 letters and digits: what every broker and firmware accepts
    /// (Tasmota keeps at most 32 characters of MqttPassword).</summary>
    public static string NewPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    public static string Create(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>False for a wrong password and for a stored value that is no hash of this scheme.</summary>
    public static bool Verify(string stored, ReadOnlySpan<byte> password)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        Span<byte> actual = stackalloc byte[HashBytes];
        if (expected.Length != HashBytes) return false;
        Rfc2898DeriveBytes.Pbkdf2(password, salt, actual, iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
