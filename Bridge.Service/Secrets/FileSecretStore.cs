using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Bridge.Service.Data;

namespace Bridge.Service.Secrets;

/// <summary>The secret store in <c>Data:Dir/secrets.json</c>: one file, mode 0600, replaced whole and
/// crash-safely (<see cref="SecureFile"/>) on every change. Reads take no lock (an immutable snapshot
/// replaced on each change), so checking a secret on a hot path costs a dictionary lookup.</summary>
public sealed class FileSecretStore : ISecretStore
{
    public const string FileName = "secrets.json";

    private readonly string _path;
    private readonly ILogger<FileSecretStore> _log;
    private readonly Lock _gate = new();
    private volatile FrozenDictionary<string, string> _secrets;

    public FileSecretStore(string dataDir, ILogger<FileSecretStore> log)
    {
        _path = Path.Combine(dataDir, FileName);
        _log = log;
        _secrets = Load(_path, log);
    }

    public bool TryGet(string name, [NotNullWhen(true)] out string? value) => _secrets.TryGetValue(name, out value);

    public void Set(string name, string value)
    {
        SecretNames.Check(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (_secrets.TryGetValue(name, out var old) && old == value) return;
            var next = new Dictionary<string, string>(_secrets, StringComparer.Ordinal) { [name] = value };
            Save(next);
            _secrets = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
        _log.LogInformation("Secret {SecretName} stored", name);
    }

    public bool Remove(string name)
    {
        lock (_gate)
        {
            if (!_secrets.ContainsKey(name)) return false;
            var next = new Dictionary<string, string>(_secrets, StringComparer.Ordinal);
            next.Remove(name);
            Save(next);
            _secrets = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
        _log.LogInformation("Secret {SecretName} removed", name);
        return true;
    }

    public IReadOnlyList<string> Names(string prefix) =>
        _secrets.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    private void Save(Dictionary<string, string> secrets)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteStartObject("secrets");
            foreach (var (name, value) in secrets.OrderBy(s => s.Key, StringComparer.Ordinal)) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        SecureFile.WriteAtomically(_path, buffer.WrittenSpan, ownerOnly: true);
    }

    /// <summary>A damaged file stops the bridge (fail closed): starting without it and saving the next
    /// secret would throw away every device key in it. A file others can read is narrowed to 0600.</summary>
    private static FrozenDictionary<string, string> Load(string path, ILogger log)
    {
        if (!File.Exists(path)) return FrozenDictionary<string, string>.Empty;
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            if ((mode & ~ownerOnly) != 0)
            {
                File.SetUnixFileMode(path, mode & ownerOnly);
                log.LogWarning("{File} was readable by others (mode {Mode}); narrowed to 0600", path, Convert.ToString((int)mode, 8));
            }
        }
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var s in doc.RootElement.GetProperty("secrets").EnumerateObject())
            {
                if (s.Value.ValueKind != JsonValueKind.String || !SecretNames.IsValid(s.Name))
                    throw new InvalidDataException("an entry is not a string or its name is not a secret's name");
                secrets[s.Name] = s.Value.GetString()!;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            // JsonException messages quote positions, never values.
            throw new InvalidDataException($"{path} is damaged ({e.Message}); restore it from a backup or remove it (removing it forgets every device key and MQTT account)", e);
        }
        return secrets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
