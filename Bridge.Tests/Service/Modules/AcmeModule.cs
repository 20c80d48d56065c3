using System.Net;
using System.Text;
using Bridge.Protocols.Dns;
using Bridge.Protocols.Model;
using Bridge.Service.Adoption;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Modules;
using Bridge.Service.Secrets;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Service.Modules;

/// <summary>A protocol nobody ships, added the way a new one is: one module, one AddProtocol line.
/// Its search is plain text: the probe <c>ACME?</c>, a device's answer or announcement <c>ACME &lt;id&gt;</c>.</summary>
public sealed class AcmeModule : IProtocolModule
{
    public const string Protocol = "acme";

    public string Name => Protocol;

    public void Register(ProtocolBuilder protocol) => protocol
        .Options<AcmeOptions>(AcmeOptions.Section, o => o.Validate())
        .Mdns(new AcmeMdnsMatcher())
        .UdpDiscovery<AcmeSearch>()
        .Adopter<AcmeAdopter>();
}

public sealed class AcmeOptions
{
    public const string Section = "Acme";
    public int ListenPort { get; set; }
    public List<string> Targets { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (ListenPort is < 1 or > 65535) yield return $"Acme:ListenPort must be 1..65535, not {ListenPort}";
    }
}

public sealed class AcmeMdnsMatcher : IMdnsMatcher
{
    public static readonly DnsName ServiceType = DnsName.Parse("_acme._tcp.local");
    public IReadOnlyList<DnsName> ServiceTypes { get; } = [ServiceType];

    public MdnsIdentity? Identify(DnsName serviceType, string instanceLabel, IReadOnlyDictionary<string, string?> txt) =>
        new MdnsIdentity("acme-" + instanceLabel.ToLowerInvariant(), AcmeModule.Protocol);
}

public sealed class AcmeSearch(IOptions<AcmeOptions> options, DiscoveredDevices discovered) : IUdpDiscovery
{
    public static readonly byte[] Probe = "ACME?"u8.ToArray();

    public string Protocol => AcmeModule.Protocol;
    public bool Enabled => true;
    public IReadOnlyList<UdpListen> Listens => [new(options.Value.ListenPort)];
    public IReadOnlyList<UdpProbe> Probes => [new(Probe, IPAddress.Broadcast, options.Value.ListenPort)];
    public IReadOnlyList<IPEndPoint> Targets => options.Value.Targets.Select(IPEndPoint.Parse).ToArray();
    public TimeSpan FirstInterval => TimeSpan.FromMinutes(5);
    public TimeSpan MaxInterval => TimeSpan.FromMinutes(10);
    public int MaxDatagramBytes => 64;

    public bool TryHandle(ReadOnlySpan<byte> datagram, IPEndPoint from, LanInterface? via)
    {
        var text = Encoding.ASCII.GetString(datagram);
        if (!text.StartsWith("ACME ", StringComparison.Ordinal)) return false;
        var id = "acme-" + text[5..].Trim();
        discovered.Found(new DiscoveredDevice(id, Protocol, from.Address, from.Port, id, "udp"));
        return true;
    }
}

/// <summary>Takes the key into the secret store, as a real adopter does once the device accepted it.</summary>
public sealed class AcmeAdopter(DeviceRegistry registry, ISecretStore secrets) : IDeviceAdopter
{
    public static readonly DeviceProfile Profile = new()
    {
        Id = "acme-plug", Kind = "plug", Driver = AcmeModule.Protocol,
        Capabilities = [new Capability { Name = "power", Type = CapabilityType.Enum, Values = ["off", "on"] }],
    };

    public string Protocol => AcmeModule.Protocol;
    public List<AdoptRequest> Requests { get; } = [];

    public Task<Device> AdoptAsync(AdoptRequest request, CancellationToken ct)
    {
        lock (Requests) Requests.Add(request);
        if (request.Credential is not { Kind: AdoptCredential.Key } key)
            throw new AdoptFailedException(Bridge.Protocols.Api.ErrorCodes.BadRequest, "an acme device needs its 'key'");
        secrets.Set(SecretNames.ForDevice(request.Id, "key"), key.Value);
        var device = registry.AddOrUpdate(request.Id, request.Found?.Name ?? request.Id, Profile, new Dictionary<string, string>());
        registry.SetOnline(device, true);
        return Task.FromResult(device);
    }
}
