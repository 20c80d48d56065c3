using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Bridge.Service.Secrets;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Mqtt.Accounts;

/// <summary>Every account the embedded broker admits, by user name: the device accounts in the secret store
/// and the accounts made by hand (<c>Mqtt:Accounts</c>). Rebuilt whole when a device account changes, read
/// without a lock on every CONNECT and publish.</summary>
public sealed class AccountBook
{
    private readonly DeviceAccounts _devices;
    private readonly IReadOnlyDictionary<string, IMqttDeviceRights> _protocols;
    private readonly ISecretStore _secrets;
    private readonly BrokerAccountOptions _options;
    private readonly ILogger<AccountBook> _log;
    private readonly Lock _gate = new();
    private IReadOnlyList<BrokerAccount>? _byHand;
    private volatile FrozenDictionary<string, BrokerAccount> _accounts = FrozenDictionary<string, BrokerAccount>.Empty;

    public AccountBook(DeviceAccounts devices, IEnumerable<IMqttDeviceRights> protocols, ISecretStore secrets, IOptions<BrokerAccountOptions> options, ILogger<AccountBook> log)
    {
        _devices = devices;
        _protocols = protocols.ToDictionary(p => p.Protocol, StringComparer.Ordinal);
        _secrets = secrets;
        _options = options.Value;
        _log = log;
        devices.Changed += Rebuild;
    }

    public int Count => _accounts.Count;

    public bool TryFind(string username, [NotNullWhen(true)] out BrokerAccount? account) => _accounts.TryGetValue(username, out account);

    /// <summary>Reads the accounts by hand (their password files and secrets) and the device accounts.
    /// Problems with accounts by hand are added to <paramref name="problems"/> (the bridge does not start).</summary>
    public void Load(List<string> problems)
    {
        var byHand = new List<BrokerAccount>();
        for (var i = 0; i < _options.Accounts.Count; i++)
            if (ByHand(_options.Accounts[i], i, problems) is { } account) byHand.Add(account);
        lock (_gate) _byHand = byHand;
        Rebuild();
    }

    private void Rebuild()
    {
        lock (_gate)
        {
            var all = new Dictionary<string, BrokerAccount>(StringComparer.Ordinal);
            foreach (var device in _devices.All())
                if (_devices.RightsOf(device) is { } rights) all[device.Username] = new BrokerAccount(device.Username, device.PasswordHash, rights, ByHand: false);
            foreach (var account in _byHand ?? [])
            {
                if (all.ContainsKey(account.Username))
                    _log.LogWarning("Mqtt:Accounts names {Username}, which is also a device account; the account by hand wins", account.Username);
                all[account.Username] = account;
            }
            _accounts = all.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    private BrokerAccount? ByHand(MqttAccountOptions o, int index, List<string> problems)
    {
        var at = $"Mqtt:Accounts:{index}";
        string? password;
        if (!string.IsNullOrEmpty(o.PasswordFile))
        {
            try
            {
                password = File.ReadLines(o.PasswordFile).FirstOrDefault()?.TrimEnd('\r');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{at}:PasswordFile '{o.PasswordFile}' cannot be read ({e.GetType().Name})");
                return null;
            }
        }
        else if (!_secrets.TryGet(o.PasswordSecret!, out password))
        {
            problems.Add($"{at}:PasswordSecret: the secret store holds no '{o.PasswordSecret}'");
            return null;
        }
        if (string.IsNullOrEmpty(password))
        {
            problems.Add($"{at}: the password is empty");
            return null;
        }
        var rights = new MqttRights(o.Publish, o.Subscribe);
        if (!string.IsNullOrEmpty(o.Protocol))
        {
            if (!_protocols.TryGetValue(o.Protocol, out var protocol))
            {
                problems.Add($"{at}:Protocol '{o.Protocol}' states no MQTT rights (known: {string.Join(", ", _protocols.Keys.Order())})");
                return null;
            }
            var facts = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!string.IsNullOrEmpty(o.Mac)) facts["mac"] = o.Mac;
            var missing = protocol.RequiredFacts.Where(f => !facts.ContainsKey(f)).ToArray();
            if (missing.Length > 0)
            {
                problems.Add($"{at}: a {o.Protocol} account needs {string.Join(", ", missing.Select(m => char.ToUpperInvariant(m[0]) + m[1..]))}");
                return null;
            }
            if (protocol.For(o.Device!, facts, out var problem) is not { } derived)
            {
                problems.Add($"{at}: {problem}");
                return null;
            }
            rights = derived.With(rights);
        }
        // Hashed here like the bridge's own accounts, so one check serves both; the plain text stays in its file.
        var hash = password.StartsWith("pbkdf2-sha256$", StringComparison.Ordinal) ? password : PasswordHash.Create(password);
        return new BrokerAccount(o.Username!, hash, rights, ByHand: true);
    }
}
