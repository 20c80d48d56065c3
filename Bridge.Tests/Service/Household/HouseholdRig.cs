using System.Threading.Channels;
using Bridge.Protocols.Model;
using Bridge.Service.Api;
using Bridge.Service.Commands;
using Bridge.Service.Data;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Bridge.Service.Household;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Bridge.Tests.Service.Household;

/// <summary>The household's store and timer scheduler over a data directory, with devices whose
/// driver confirms every command at once (unless told to stay silent) and a fake clock. A
/// "restart" stops the scheduler and builds store and scheduler again from the same directory.</summary>
public sealed class HouseholdRig : IAsyncDisposable
{
    private readonly IDeviceDriver _driver = Substitute.For<IDeviceDriver>();
    private readonly string _zone;
    private readonly TimeSpan _catchUp;

    public HouseholdRig(DateTimeOffset start, string zone = "America/New_York", TimeSpan? catchUp = null)
    {
        Time = new FakeTimeProvider(start);
        _zone = zone;
        _catchUp = catchUp ?? TimeSpan.FromMinutes(10);
        Dir = Directory.CreateTempSubdirectory("household-test-").FullName;
        _driver.Name.Returns("fake");
        _driver.Expected(default!, default!, default).ReturnsForAnyArgs(c => c.ArgAt<StateValue>(2));
        _driver.SendAsync(default!, default!, default).ReturnsForAnyArgs(c =>
        {
            var device = c.ArgAt<Device>(0);
            Sent.Writer.TryWrite(device.Id);
            if (!Silent.Contains(device.Id))
                Registry.ApplyReport(device, c.ArgAt<IReadOnlyList<Change>>(1).Select(ch => new KeyValuePair<string, StateValue>(ch.Capability.Name, ch.Value)).ToArray());
            return ValueTask.CompletedTask;
        });
        Build();
        foreach (var id in new[] { "lamp-1", "heater-1" })
            Registry.SetOnline(Registry.AddOrUpdate(id, id, Profile, new Dictionary<string, string>()), true);
    }

    public static readonly DeviceProfile Profile = new()
    {
        Id = "fake-light", Kind = "light", Driver = "fake",
        Capabilities =
        [
            new Capability { Name = "power", Type = CapabilityType.Enum, Values = ["off", "on"] },
            new Capability { Name = "brightness", Type = CapabilityType.Int, Min = 1, Max = 100 },
        ],
    };

    public FakeTimeProvider Time { get; }
    public string Dir { get; }
    public HashSet<string> Silent { get; } = [];
    public DeviceRegistry Registry { get; private set; } = null!;
    public HouseholdStore Store { get; private set; } = null!;
    public TimerScheduler Scheduler { get; private set; } = null!;
    public Channel<string> Sent { get; } = Channel.CreateUnbounded<string>();
    public Channel<TimerRun> Runs { get; } = Channel.CreateUnbounded<TimerRun>();
    public Channel<(string Timer, DateTimeOffset Due)> Skips { get; } = Channel.CreateUnbounded<(string, DateTimeOffset)>();

    private void Build()
    {
        Store = new HouseholdStore(Options.Create(new DataOptions { Dir = Dir }), NullLogger<HouseholdStore>.Instance);
        var problems = new List<string>();
        Store.Load(problems);
        Assert.Empty(problems);
        var previous = Registry;
        Registry = new DeviceRegistry([], NullLogger<DeviceRegistry>.Instance, Store);
        if (previous is not null)
            foreach (var d in previous.All())
                Registry.SetOnline(Registry.AddOrUpdate(d.Id, d.Name, d.Profile, d.Binding), true);
        var commands = new CommandService(Registry, new DriverCatalog([_driver]),
            Options.Create(new CommandOptions { ConfirmTimeout = TimeSpan.FromSeconds(5) }), Time, NullLogger<CommandService>.Instance);
        Scheduler = new TimerScheduler(Store, new SceneRunner(commands, NullLogger<SceneRunner>.Instance), Registry, new EventHub(),
            Options.Create(new TimersOptions { TimeZone = _zone, CatchUp = _catchUp }), Time, NullLogger<TimerScheduler>.Instance);
        Scheduler.Ran += r => Runs.Writer.TryWrite(r);
        Scheduler.Skipped += (t, d) => Skips.Writer.TryWrite((t, d));
    }

    public Task StartAsync() => Scheduler.StartAsync(CancellationToken.None);

    /// <summary>Stops the scheduler, lets <paramref name="downFor"/> pass, and starts everything again from disk.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await Scheduler.StopAsync(CancellationToken.None);
        Scheduler.Dispose();
        Time.Advance(downFor);
        Build();
        await StartAsync();
    }

    /// <summary>Saves a timer as <c>timer_save</c> does: counted from now.</summary>
    public void SaveTimer(string json)
    {
        Assert.True(HouseholdParser.TryTimer(System.Text.Json.JsonDocument.Parse(json).RootElement, Time.GetUtcNow(), out var timer, out var error), error?.Message);
        Assert.Null(Store.Change(s => (s with { Timers = s.Timers.SetItem(timer.Id, timer) }, null)));
    }

    public static async Task<T> Next<T>(Channel<T> channel, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no " + what + " within 10 s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.StopAsync(CancellationToken.None);
        Scheduler.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
