using System.Collections.Concurrent;

namespace Bridge.Relay.Links;

/// <summary>The bridges linked to this node, by id. A bridge that reconnects replaces its old link
/// (which may be half-open) rather than being refused.</summary>
public sealed class LinkRegistry
{
    private readonly ConcurrentDictionary<string, BridgeLink> _links = new(StringComparer.Ordinal);

    public BridgeLink? Find(string bridgeId) => _links.TryGetValue(bridgeId, out var link) ? link : null;

    public BridgeLink? Add(BridgeLink link)
    {
        BridgeLink? old = null;
        _links.AddOrUpdate(link.BridgeId, link, (_, existing) =>
        {
            old = existing;
            return link;
        });
        return old;
    }

    public void Remove(BridgeLink link) => _links.TryRemove(new KeyValuePair<string, BridgeLink>(link.BridgeId, link));

    public int Count => _links.Count;

    public ICollection<string> BridgeIds => _links.Keys;
}
