namespace Bridge.Tests.Service;

/// <summary>Every elementary cycle of a small directed graph, each once, written from its
/// alphabetically first node ("Drivers -> Mqtt -> Drivers").</summary>
public static class GraphCycles
{
    public static List<List<string>> Find(IReadOnlyDictionary<string, SortedDictionary<string, List<string>>> edges, int limit = 500)
    {
        var nodes = edges.Keys.Concat(edges.Values.SelectMany(t => t.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
        var cycles = new List<List<string>>();
        foreach (var start in nodes)
        {
            // Only through nodes after the start, so each cycle is found from its first node alone.
            var path = new List<string> { start };
            Walk(start, start, path, edges, cycles, limit);
        }
        return cycles;
    }

    private static void Walk(string start, string at, List<string> path, IReadOnlyDictionary<string, SortedDictionary<string, List<string>>> edges,
        List<List<string>> cycles, int limit)
    {
        if (cycles.Count >= limit || !edges.TryGetValue(at, out var next)) return;
        foreach (var to in next.Keys)
        {
            if (to == start) cycles.Add([.. path, start]);
            else if (string.CompareOrdinal(to, start) > 0 && !path.Contains(to))
            {
                path.Add(to);
                Walk(start, to, path, edges, cycles, limit);
                path.RemoveAt(path.Count - 1);
            }
        }
    }
}
