using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Commands;

/// <summary>The command path with a scripted driver of a chosen concurrency trait, a fake clock that
/// counts the timers still alive, and lamps whose reports the test writes.</summary>
public sealed class PendingListRig
{
    public static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(5);

    public CountingTimeProvider Time { get; } = new();
    public DeviceRegistry Registry { get; } = new([], NullLogger<DeviceRegistry>.Instance);
    public ScriptedDriver Driver { get; }
    public CommandService Commands { get; }

    public PendingListRig(CommandConcurrency mode, int maxQueued = 256)
    {
        Driver = new ScriptedDriver(mode);
        Commands = new CommandService(Registry, new DriverCatalog([Driver]),
            Options.Create(new CommandOptions { ConfirmTimeout = ConfirmTimeout, MaxQueuedPerDevice = maxQueued }), Time,
            NullLogger<CommandService>.Instance);
    }

    public Device Lamp(string id = "lamp")
    {
        var profile = new DeviceProfile
        {
            Id = "scripted-light", Kind = "light", Driver = ScriptedDriver.DriverName,
            Capabilities =
            [
                new Capability { Name = "power", Type = CapabilityType.Enum, Values = ["off", "on"] },
                new Capability { Name = "brightness", Type = CapabilityType.Int, Min = 1, Max = 100 },
            ],
        };
        var lamp = Registry.AddOrUpdate(id, id, profile, new Dictionary<string, string>());
        Registry.SetOnline(lamp, true);
        return lamp;
    }

    public Task<KeyValuePair<string, StateValue>[]> Set(string device, int brightness, CancellationToken ct = default) =>
        Commands.SetAsync(device, JsonDocument.Parse($$"""{"brightness":{{brightness}}}""").RootElement, ct);

    /// <summary>A report, handled as the MQTT reading loop handles one: on a thread without a
    /// synchronization context, so answers continue inline as they do in the bridge.</summary>
    public void Report(Device device, int brightness) =>
        AsReadingLoop(() => Registry.ApplyReport(device, [new("brightness", StateValue.Of(brightness))]));

    /// <summary>Runs as a socket's reading loop does: no synchronization context (xUnit's would make
    /// every continuation asynchronous and the order of answers a matter of thread scheduling).</summary>
    public static void AsReadingLoop(Action action)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try { action(); }
        finally { SynchronizationContext.SetSynchronizationContext(context); }
    }

    public static int Brightness(KeyValuePair<string, StateValue>[] state) =>
        (int)state.Single(kv => kv.Key == "brightness").Value.Number;
}

/// <summary>A driver that records what it was asked to send; a correlated one waits for the test to
/// answer each send (the answer runs the reply's handling on the test's thread, as a reading loop would).</summary>
public sealed class ScriptedDriver(CommandConcurrency mode) : ICorrelatedDriver
{
    public const string DriverName = "scripted";

    public ConcurrentQueue<(string Device, int Brightness)> Sent { get; } = new();
    public ConcurrentDictionary<int, TaskCompletionSource<bool>> Replies { get; } = new();

    public string Name => DriverName;
    public void ValidateProfile(DeviceProfile profile, List<string> problems) { }
    public CommandConcurrency Concurrency(Device device) => mode;
    public StateValue Expected(Device device, Capability capability, StateValue requested) => requested;

    public ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        Sent.Enqueue((device.Id, (int)changes[0].Value.Number));
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for <see cref="Reply"/> with the sent value; true confirms, false is an error reply.</summary>
    public async ValueTask<IReadOnlyList<KeyValuePair<string, StateValue>>> SendConfirmedAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var value = (int)changes[0].Value.Number;
        var reply = Replies.GetOrAdd(value, _ => new TaskCompletionSource<bool>());
        Sent.Enqueue((device.Id, value));
        if (!await reply.Task.WaitAsync(ct).ConfigureAwait(false)) throw new CommandFailedException(new("internal", "refused"));
        return [new("brightness", changes[0].Value)];
    }

    public void Reply(int value, bool ok = true) => PendingListRig.AsReadingLoop(() =>
        Replies.GetOrAdd(value, _ => new TaskCompletionSource<bool>()).TrySetResult(ok));
}

/// <summary>A fake clock that knows how many of the timers it made are still alive.</summary>
public sealed class CountingTimeProvider : FakeTimeProvider
{
    private int _alive;

    public int AliveTimers => Volatile.Read(ref _alive);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _alive);
        return new Counted(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class Counted(ITimer inner, CountingTimeProvider owner) : ITimer
    {
        private int _disposed;
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._alive);
            inner.Dispose();
        }
        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
