namespace Bridge.Tests.Service;

/// <summary>The folder graph on a made-up project small enough to know every edge: each way of
/// naming another folder is seen, and the cycles come out each once, from their first folder.</summary>
public sealed class FolderDependenciesTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("folder-graph-").FullName;

    private void Write(string path, string source)
    {
        var file = Path.Combine(_project, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, source);
    }

    [Fact]
    public void Usings_relative_names_and_parent_namespace_types_make_edges_and_cycles_are_listed()
    {
        Write("Drivers/IDeviceDriver.cs", "namespace Bridge.Service.Drivers;\npublic interface IDeviceDriver { Tasmota.TasmotaDriver? Peer { get; } }\n");
        Write("Drivers/CommandFailure.cs", "namespace Bridge.Service.Drivers;\npublic sealed record CommandFailure(string Code);\n");
        Write("Drivers/Tasmota/TasmotaDriver.cs", "using Bridge.Service.Mqtt;\nnamespace Bridge.Service.Drivers.Tasmota;\npublic sealed class TasmotaDriver(Link link) : IDeviceDriver { }\n");
        Write("Mqtt/Link.cs", "namespace Bridge.Service.Mqtt;\n// Devices.Device is only a comment\npublic sealed class Link { Drivers.CommandFailure? Last; string S = \"Bridge.Service.Devices\"; }\n");
        Write("Devices/Device.cs", "namespace Bridge.Service.Devices;\npublic sealed class Device { Bridge.Service.Mqtt.Link? Link; }\n");

        var graph = new FolderDependencies(_project);
        var cycles = GraphCycles.Find(graph.Edges).Select(c => string.Join(" -> ", c)).ToList();

        Assert.Equal(["Drivers/Tasmota"], graph.Edges["Drivers"].Keys);
        Assert.Equal(["Drivers", "Mqtt"], graph.Edges["Drivers/Tasmota"].Keys);
        Assert.Equal(["Drivers"], graph.Edges["Mqtt"].Keys);
        Assert.Equal(["Mqtt"], graph.Edges["Devices"].Keys);
        Assert.Equal(["Drivers -> Drivers/Tasmota -> Drivers", "Drivers -> Drivers/Tasmota -> Mqtt -> Drivers"], cycles);
    }

    [Fact]
    public void A_file_outside_its_folders_namespace_is_reported()
    {
        Write("Mqtt/Link.cs", "namespace Bridge.Service.Drivers;\npublic sealed class Link { }\n");
        Write("Drivers/Driver.cs", "namespace Bridge.Service.Drivers;\npublic sealed class Driver { }\n");

        var graph = new FolderDependencies(_project);

        Assert.Equal(["Mqtt/Link.cs: namespace Bridge.Service.Drivers, folder says Bridge.Service.Mqtt"], graph.Misplaced);
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);
}
