using Bridge.Protocols.Gree;

namespace Bridge.Service.Drivers.Gree;

/// <summary>Binding a Gree unit (PROTOCOLS.md §10.3): <c>{"mac","t":"bind","uid":0}</c> sealed with the
/// generic key of a cipher, answered with <c>bindok</c> and the unit's own key. A unit answers only the
/// cipher its firmware speaks, so the likelier one is tried first (V2 when the scan names firmware
/// v1.21 or v1.23) and the other on silence; the one that answered is pinned from then on.</summary>
public static class GreeBind
{
    /// <summary>The cipher to try first for a unit whose scan answer said <paramref name="version"/> / <paramref name="hid"/>.</summary>
    public static GreeCipherVersion Likely(string? version, string? hid) =>
        Names(version, "1.21", "1.23") || Names(hid, "1.21", "1.23") ? GreeCipherVersion.V2 : GreeCipherVersion.V1;

    /// <summary>Binds, trying <paramref name="order"/> in turn; null when the unit answered none.</summary>
    public static async Task<(GreeCipherVersion Cipher, string Key)?> BindAsync(GreeLink link, IReadOnlyList<GreeCipherVersion> order, TimeSpan timeout, CancellationToken ct)
    {
        foreach (var cipher in order)
        {
            var answer = await link.RequestAsync(cipher, GreeCipher.GenericKey(cipher), GreeMessage.Bind(link.Mac), "bindok", timeout, ct).ConfigureAwait(false);
            if (answer?.Key is { Length: 16 } key && key.All(char.IsAscii)) return (cipher, key);
        }
        return null;
    }

    public static IReadOnlyList<GreeCipherVersion> Order(GreeCipherVersion first) =>
        first == GreeCipherVersion.V2 ? [GreeCipherVersion.V2, GreeCipherVersion.V1] : [GreeCipherVersion.V1, GreeCipherVersion.V2];

    private static bool Names(string? text, params string[] versions) =>
        text is not null && versions.Any(v => text.Contains(v, StringComparison.OrdinalIgnoreCase));
}
