using Bridge.Simulator;

namespace Bridge.Tests.Simulator.Home;

/// <summary>A twin of no protocol at all: records how the home started and stopped it, so a test can show the
/// home needs nothing from a twin but <see cref="ISimulatedTwin"/>.</summary>
public sealed class RecordingTwin(string id) : ISimulatedTwin
{
    public string DeviceId { get; } = id;
    public string Name => DeviceId;
    public bool StartOffline => false;

    /// <summary>The network the home started it on; null until started.</summary>
    public HomeNetwork? StartedOn { get; private set; }

    public bool Disposed { get; private set; }

    public Task StartAsync(HomeNetwork network, CancellationToken ct)
    {
        StartedOn = network;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
