using Bridge.Service.Commands;
using Bridge.Service.Drivers;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Commands;

/// <summary>Several commands to one device: how each concurrency trait sends them, confirms them and
/// answers them (each with its own confirmed state, in sending order).</summary>
public sealed class PendingListTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ordered_200_sets_to_one_lamp_all_go_out_at_once_and_each_is_answered_with_its_own_value_in_order()
    {
        var rig = new PendingListRig(CommandConcurrency.Ordered);
        var lamp = rig.Lamp();
        var answered = new List<int>();
        var sets = Enumerable.Range(0, 200).Select(i => Answer(rig.Set("lamp", i % 100 + 1), i, answered)).ToArray();

        Assert.Equal(200, rig.Driver.Sent.Count);
        foreach (var (_, value) in rig.Driver.Sent) rig.Report(lamp, value);

        var states = await Task.WhenAll(sets).WaitAsync(Timeout);
        for (var i = 0; i < 200; i++) Assert.Equal(i % 100 + 1, PendingListRig.Brightness(states[i]));
        Assert.True(Enumerable.Range(0, 200).SequenceEqual(answered), string.Join(",", answered));
        Assert.Equal(0, rig.Time.AliveTimers);
    }

    /// <summary>Records the order answers arrive in, as the API does: continuing inline on the answer.</summary>
    private static async Task<T> Answer<T>(Task<T> set, int tag, List<int> answered)
    {
        var result = await set.ConfigureAwait(false);
        lock (answered) answered.Add(tag);
        return result;
    }

    [Fact]
    public async Task Serial_sends_the_next_command_only_once_the_one_before_is_confirmed()
    {
        var rig = new PendingListRig(CommandConcurrency.Serial);
        var lamp = rig.Lamp();
        var first = rig.Set("lamp", 10);
        var second = rig.Set("lamp", 20);
        Assert.Equal([("lamp", 10)], rig.Driver.Sent);

        rig.Report(lamp, 10);
        Assert.Equal(10, PendingListRig.Brightness(await first.WaitAsync(Timeout)));
        await Wait.UntilAsync(() => rig.Driver.Sent.Count == 2, Timeout, "the second command is sent");
        Assert.Equal(("lamp", 20), rig.Driver.Sent.Last());
        rig.Report(lamp, 20);
        Assert.Equal(20, PendingListRig.Brightness(await second.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task Serial_one_deadline_covers_waiting_for_the_turn_and_the_confirmation()
    {
        var rig = new PendingListRig(CommandConcurrency.Serial);
        rig.Lamp();
        var first = rig.Set("lamp", 10);
        rig.Time.Advance(TimeSpan.FromSeconds(3));
        var second = rig.Set("lamp", 20);
        rig.Time.Advance(TimeSpan.FromSeconds(2.1));
        Assert.Equal("timeout", (await Assert.ThrowsAsync<CommandFailedException>(() => first)).Failure.Code);
        // The second got its turn when the first timed out, 3 s into its own 5 s.
        await Wait.UntilAsync(() => rig.Driver.Sent.Count == 2, Timeout, "the second command is sent");
        rig.Time.Advance(TimeSpan.FromSeconds(2.8));
        Assert.False(second.IsCompleted);
        rig.Time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal("timeout", (await Assert.ThrowsAsync<CommandFailedException>(() => second)).Failure.Code);
        Assert.Equal(0, rig.Time.AliveTimers);
    }

    [Fact]
    public async Task Correlated_replies_that_come_back_out_of_order_are_answered_in_sending_order()
    {
        var rig = new PendingListRig(CommandConcurrency.Correlated);
        var lamp = rig.Lamp();
        var answered = new List<int>();
        var sets = new[] { 10, 20, 30 }.Select(v => Answer(rig.Set("lamp", v), v, answered)).ToArray();
        await Wait.UntilAsync(() => rig.Driver.Sent.Count == 3, Timeout, "all three sent at once");

        // A report (anyone's change) confirms nothing on a correlated device.
        rig.Report(lamp, 10);
        rig.Driver.Reply(30);
        rig.Driver.Reply(20);
        Assert.True(lamp.TryGetState("brightness", out var now) && now.Number == 20, $"each reply is applied as it comes");
        Assert.Empty(answered);
        rig.Driver.Reply(10);
        var states = await Task.WhenAll(sets).WaitAsync(Timeout);
        Assert.Equal([10, 20, 30], states.Select(PendingListRig.Brightness));
        Assert.True(answered.SequenceEqual([10, 20, 30]), string.Join(",", answered));
    }

    [Fact]
    public async Task Correlated_an_error_reply_fails_only_its_own_command()
    {
        var rig = new PendingListRig(CommandConcurrency.Correlated);
        rig.Lamp();
        var refused = rig.Set("lamp", 10);
        var taken = rig.Set("lamp", 20);
        await Wait.UntilAsync(() => rig.Driver.Sent.Count == 2, Timeout, "both sent");
        rig.Driver.Reply(20);
        rig.Driver.Reply(10, ok: false);
        Assert.Equal("internal", (await Assert.ThrowsAsync<CommandFailedException>(() => refused.WaitAsync(Timeout))).Failure.Code);
        Assert.Equal(20, PendingListRig.Brightness(await taken.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task A_set_to_many_devices_goes_out_to_all_of_them_at_once_even_when_each_is_serial()
    {
        var rig = new PendingListRig(CommandConcurrency.Serial);
        var lamps = Enumerable.Range(0, 10).Select(i => rig.Lamp($"lamp-{i}")).ToArray();
        var sets = lamps.Select(l => rig.Set(l.Id, 50)).ToArray();
        Assert.Equal(10, rig.Driver.Sent.Select(s => s.Device).Distinct().Count());
        foreach (var l in lamps) rig.Report(l, 50);
        await Task.WhenAll(sets).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Going_offline_fails_every_pending_command_and_the_list_starts_empty_when_back()
    {
        var rig = new PendingListRig(CommandConcurrency.Ordered, maxQueued: 3);
        var lamp = rig.Lamp();
        var sets = Enumerable.Range(1, 3).Select(i => rig.Set("lamp", i)).ToArray();
        rig.Registry.SetOnline(lamp, false);
        foreach (var s in sets) Assert.Equal("device_offline", (await Assert.ThrowsAsync<CommandFailedException>(() => s)).Failure.Code);
        rig.Registry.SetOnline(lamp, true);
        var again = Enumerable.Range(1, 3).Select(i => rig.Set("lamp", i)).ToArray();
        foreach (var i in Enumerable.Range(1, 3)) rig.Report(lamp, i);
        await Task.WhenAll(again).WaitAsync(Timeout);
        Assert.Equal(0, rig.Time.AliveTimers);
    }
}
