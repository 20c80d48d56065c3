using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service;

/// <summary>Bridge.Service's folders depend on each other in one direction: a protocol's folder
/// may use shared folders (Devices, Mqtt, Drivers' shared types), but no chain of uses leads
/// back to where it started. A cycle means two concerns can't be understood, tested or moved
/// apart; the fix is to move the type that closes it to the folder it belongs to.</summary>
public sealed class FolderDependencyTests
{
    private static readonly string ServiceDir = Path.Combine(RepositoryRoot.Path, "Bridge.Service");
    private static readonly Lazy<FolderDependencies> Graph = new(() => new FolderDependencies(ServiceDir));

    [Fact]
    public void No_folder_of_the_service_depends_on_itself_through_others()
    {
        var edges = Graph.Value.Edges;
        var cycles = GraphCycles.Find(edges);

        var report = string.Join("\n", cycles.Select(c => string.Join(" -> ", c)));
        var evidence = cycles.SelectMany(c => c.Zip(c.Skip(1)))
            .Distinct()
            .Order()
            .Select(e => $"  {e.First} -> {e.Second}:\n      " + string.Join("\n      ", edges[e.First][e.Second]));
        Assert.True(cycles.Count == 0, $"{cycles.Count} cycle(s) between Bridge.Service's folders:\n{report}\nwhere each step comes from:\n{string.Join("\n", evidence)}");
    }

    [Theory]
    [InlineData("Mqtt")]
    [InlineData("Serial")]
    public void A_transport_knows_no_driver(string transport)
    {
        // Codec and transport apart (DESIGN.md, practice 1): drivers use the MQTT link and the
        // serial line, never the other way round, so a transport's failures are its own exceptions,
        // translated where a driver uses it. Seen with Drivers as one module (a protocol folder's
        // uses are Drivers' uses), such a reference was a cycle: Mqtt -> Drivers -> Mqtt.
        var drivers = Graph.Value.Edges.GetValueOrDefault(transport)?
            .Where(e => e.Key == "Drivers" || e.Key.StartsWith("Drivers/", StringComparison.Ordinal))
            .Select(e => $"{transport} -> {e.Key}: {string.Join("; ", e.Value)}")
            .ToList() ?? [];

        Assert.True(drivers.Count == 0, "a transport uses drivers:\n  " + string.Join("\n  ", drivers));
    }

    [Fact]
    public void The_graph_sees_using_directives_qualified_names_and_parent_namespace_types()
    {
        // Known uses that stay: Tasmota's driver publishes over MQTT (using), Hosting names
        // Serial.SerialOptions relatively, and every driver implements Drivers' IDeviceDriver
        // without a using. A parser blind to one of these kinds would find no cycles for the wrong reason.
        var edges = Graph.Value.Edges;

        Assert.Contains("Mqtt", edges["Drivers/Tasmota"].Keys);
        Assert.Contains("Serial", edges["Hosting"].Keys);
        Assert.Contains("Drivers", edges["Drivers/Tasmota"].Keys);
        Assert.Contains(edges["Drivers/Tasmota"]["Drivers"], e => e.EndsWith(": IDeviceDriver", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_file_is_in_the_namespace_of_its_folder()
    {
        // The graph goes by namespaces; a file whose namespace is not its folder's would hide where it lives.
        var misplaced = Graph.Value.Misplaced.Where(m => !m.StartsWith("Program.cs:", StringComparison.Ordinal)).ToList();

        Assert.True(misplaced.Count == 0, "files whose namespace is not their folder's:\n  " + string.Join("\n  ", misplaced));
    }
}
