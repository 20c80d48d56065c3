using Bridge.Service.Devices;
using Bridge.Service.StartupChecks;

namespace Bridge.Service.Adoption;

/// <summary>A protocol a module adopts devices of (registered with its adopter).</summary>
public sealed record AdoptableProtocol(string Name);

/// <summary>Checks at start that each <c>Devices:Static</c> entry names a protocol the bridge can adopt.</summary>
public sealed class StaticDevicesValidator(IEnumerable<AdoptableProtocol> protocols) : OptionsValidator<DevicesOptions>
{
    protected override IEnumerable<string> Problems(DevicesOptions options)
    {
        var known = protocols.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        for (var n = 0; n < options.Static.Count; n++)
        {
            var protocol = options.Static[n].Protocol;
            if (!string.IsNullOrWhiteSpace(protocol) && !known.Contains(protocol, StringComparer.Ordinal))
                yield return $"Devices:Static:{n}:Protocol '{protocol}' is not one the bridge adopts ({string.Join(", ", known)})";
        }
    }
}
