using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Bridge.Tests.Service.Commands;

/// <summary>The command path with a substitute driver and a fake clock.</summary>
public sealed class CommandServiceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly DeviceRegistry _registry = new([], NullLogger<DeviceRegistry>.Instance);
    private readonly IDeviceDriver _driver = Substitute.For<IDeviceDriver>();
    private readonly CommandService _commands;
    private readonly System.Threading.Channels.Channel<IReadOnlyList<Change>> _sent = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<Change>>();

    private async Task<IReadOnlyList<Change>> NextSent()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _sent.Reader.ReadAsync(timeout.Token);
    }
    private readonly Device _lamp;

    public CommandServiceTests()
    {
        _driver.Name.Returns("fake");
        _driver.Expected(default!, default!, default).ReturnsForAnyArgs(c => c.ArgAt<StateValue>(2));
        _driver.SendAsync(default!, default!, default).ReturnsForAnyArgs(c =>
        {
            _sent.Writer.TryWrite(c.ArgAt<IReadOnlyList<Change>>(1));
            return ValueTask.CompletedTask;
        });
        var profile = new DeviceProfile
        {
            Id = "fake-light", Kind = "light", Driver = "fake",
            Capabilities =
            [
                new Capability { Name = "power", Type = CapabilityType.Enum, Values = ["off", "on"] },
                new Capability { Name = "brightness", Type = CapabilityType.Int, Min = 1, Max = 100 },
            ],
        };
        _commands = new CommandService(_registry, new DriverCatalog([_driver]),
            Options.Create(new CommandOptions { ConfirmTimeout = TimeSpan.FromSeconds(5), MaxQueuedPerDevice = 2 }), _time,
            NullLogger<CommandService>.Instance);
        _lamp = _registry.AddOrUpdate("lamp", "Lamp", profile, new Dictionary<string, string>());
        _registry.SetOnline(_lamp, true);
    }

    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    private void Report(params (string Name, StateValue Value)[] values) =>
        _registry.ApplyReport(_lamp, values.Select(v => new KeyValuePair<string, StateValue>(v.Name, v.Value)).ToArray());

    [Fact]
    public async Task Completes_only_when_every_requested_value_is_reported()
    {
        var set = _commands.SetAsync("lamp", Json("""{"power":"on","brightness":70}"""), CancellationToken.None);
        Assert.Equal(2, (await NextSent()).Count);
        Report(("power", StateValue.Of("on")));
        Assert.False(set.IsCompleted);
        Report(("brightness", StateValue.Of(40)));
        Assert.False(set.IsCompleted);
        Report(("brightness", StateValue.Of(70)));
        var state = await set.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([new("power", StateValue.Of("on")), new("brightness", StateValue.Of(70))], state);
    }

    [Fact]
    public async Task Times_out_after_the_confirm_timeout()
    {
        var set = _commands.SetAsync("lamp", Json("""{"power":"on"}"""), CancellationToken.None);
        await NextSent();
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(set.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => set);
        Assert.Equal("timeout", e.Failure.Code);
    }

    [Fact]
    public async Task A_device_going_offline_fails_its_pending_command_at_once()
    {
        var set = _commands.SetAsync("lamp", Json("""{"power":"on"}"""), CancellationToken.None);
        await NextSent();
        _registry.SetOnline(_lamp, false);
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => set);
        Assert.Equal("device_offline", e.Failure.Code);
        var next = await Assert.ThrowsAsync<CommandFailedException>(() => _commands.SetAsync("lamp", Json("""{"power":"on"}"""), CancellationToken.None));
        Assert.Equal("device_offline", next.Failure.Code);
    }

    [Fact]
    public async Task Queues_per_device_and_refuses_beyond_the_limit_with_busy()
    {
        var first = _commands.SetAsync("lamp", Json("""{"brightness":10}"""), CancellationToken.None);
        var second = _commands.SetAsync("lamp", Json("""{"brightness":20}"""), CancellationToken.None);
        var third = await Assert.ThrowsAsync<CommandFailedException>(() => _commands.SetAsync("lamp", Json("""{"brightness":30}"""), CancellationToken.None));
        Assert.Equal("busy", third.Failure.Code);
        // Only the first has been sent: the second waits its turn.
        Assert.Equal(10, (await NextSent())[0].Value.Number);
        Assert.False(_sent.Reader.TryPeek(out _));
        Report(("brightness", StateValue.Of(10)));
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(20, (await NextSent())[0].Value.Number);
        Report(("brightness", StateValue.Of(20)));
        var state = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(new("brightness", StateValue.Of(20)), state);
    }

    [Fact]
    public async Task Bad_values_never_reach_the_driver()
    {
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => _commands.SetAsync("lamp", Json("""{"brightness":0}"""), CancellationToken.None));
        Assert.Equal("invalid_value", e.Failure.Code);
        e = await Assert.ThrowsAsync<CommandFailedException>(() => _commands.SetAsync("lamp", Json("""{"hue":3}"""), CancellationToken.None));
        Assert.Equal("unsupported_capability", e.Failure.Code);
        e = await Assert.ThrowsAsync<CommandFailedException>(() => _commands.SetAsync("nope", Json("""{"power":"on"}"""), CancellationToken.None));
        Assert.Equal("unknown_device", e.Failure.Code);
        await _driver.DidNotReceiveWithAnyArgs().SendAsync(default!, default!, default);
    }
}
