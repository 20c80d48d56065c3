using Bridge.Service.Demo;
using Bridge.Service.Modules;
using Bridge.Tests.Simulator.Home;

namespace Bridge.Tests.Service.Demo;

/// <summary>A protocol nobody ships whose module brings nothing but demo devices: one twin of no known kind.</summary>
public sealed class GadgetModule : IProtocolModule
{
    public string Name => "gadget";

    public void Register(ProtocolBuilder protocol) => protocol.Demo<GadgetDemoDevices>();
}

/// <summary>Makes one <see cref="RecordingTwin"/> and remembers what the demo told it once the home ran.</summary>
public sealed class GadgetDemoDevices : IDemoDevices
{
    public const string TwinId = "gadget-1";

    public DemoDevices? StartedWith { get; private set; }

    public DemoDevices Create(TimeProvider time) => DemoDevices.Of(new RecordingTwin(TwinId));

    /// <summary>The bridge has no driver for it, so the demo must not wait for it to be found.</summary>
    public IEnumerable<string> Started(DemoDevices mine)
    {
        StartedWith = mine;
        return [];
    }
}
