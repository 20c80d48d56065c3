using Bridge.Service.Commands;
using Bridge.Service.Drivers;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Commands;

/// <summary>A device that answers wrongly, and a client that floods one device and leaves: no command
/// is answered with another's state, nothing leaks, <c>busy</c> only past the limit.</summary>
public sealed class PendingListBadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_device_that_confirms_out_of_order_confirms_each_command_by_its_values_and_answers_in_order()
    {
        var rig = new PendingListRig(CommandConcurrency.Ordered);
        var lamp = rig.Lamp();
        var (a, b, c) = (rig.Set("lamp", 10), rig.Set("lamp", 20), rig.Set("lamp", 30));
        rig.Report(lamp, 30);
        rig.Report(lamp, 10);
        Assert.Equal(10, PendingListRig.Brightness(await a.WaitAsync(Timeout)));
        Assert.False(c.IsCompleted, "the third waits for the second's answer");
        rig.Report(lamp, 20);
        Assert.Equal(20, PendingListRig.Brightness(await b.WaitAsync(Timeout)));
        Assert.Equal(30, PendingListRig.Brightness(await c.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task A_device_that_answers_twice_confirms_one_command_and_not_the_next_one_with_another_value()
    {
        var rig = new PendingListRig(CommandConcurrency.Ordered);
        var lamp = rig.Lamp();
        var (a, b) = (rig.Set("lamp", 10), rig.Set("lamp", 20));
        rig.Report(lamp, 10);
        rig.Report(lamp, 10);
        Assert.Equal(10, PendingListRig.Brightness(await a.WaitAsync(Timeout)));
        Assert.False(b.IsCompleted);
        rig.Time.Advance(PendingListRig.ConfirmTimeout);
        Assert.Equal("timeout", (await Assert.ThrowsAsync<CommandFailedException>(() => b)).Failure.Code);
    }

    [Fact]
    public async Task An_answer_to_a_command_never_sent_is_a_state_change_and_confirms_nothing()
    {
        var rig = new PendingListRig(CommandConcurrency.Ordered);
        var lamp = rig.Lamp();
        var a = rig.Set("lamp", 10);
        rig.Report(lamp, 55);
        Assert.True(lamp.TryGetState("brightness", out var now) && now.Number == 55);
        Assert.False(a.IsCompleted);
        rig.Report(lamp, 10);
        Assert.Equal(10, PendingListRig.Brightness(await a.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task A_report_for_a_command_that_already_timed_out_does_not_answer_a_later_one()
    {
        var rig = new PendingListRig(CommandConcurrency.Ordered);
        var lamp = rig.Lamp();
        var late = rig.Set("lamp", 10);
        rig.Time.Advance(TimeSpan.FromSeconds(3));
        var next = rig.Set("lamp", 20);
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("timeout", (await Assert.ThrowsAsync<CommandFailedException>(() => late)).Failure.Code);
        rig.Report(lamp, 10);
        Assert.False(next.IsCompleted);
        rig.Report(lamp, 20);
        Assert.Equal(20, PendingListRig.Brightness(await next.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task A_correlated_reply_after_the_deadline_changes_nothing()
    {
        var rig = new PendingListRig(CommandConcurrency.Correlated);
        rig.Lamp();
        var late = rig.Set("lamp", 10);
        await Wait.UntilAsync(() => rig.Driver.Sent.Count == 1, Timeout, "sent");
        rig.Time.Advance(PendingListRig.ConfirmTimeout);
        Assert.Equal("timeout", (await Assert.ThrowsAsync<CommandFailedException>(() => late)).Failure.Code);
        rig.Driver.Reply(10);
        var next = rig.Set("lamp", 20);
        rig.Driver.Reply(20);
        Assert.Equal(20, PendingListRig.Brightness(await next.WaitAsync(Timeout)));
    }

    [Theory]
    [InlineData(CommandConcurrency.Serial)]
    [InlineData(CommandConcurrency.Ordered)]
    [InlineData(CommandConcurrency.Correlated)]
    public async Task Ten_thousand_sets_to_one_device_then_the_client_leaves_busy_past_the_limit_and_nothing_left_behind(CommandConcurrency mode)
    {
        var rig = new PendingListRig(mode);
        var lamp = rig.Lamp();
        using var client = new CancellationTokenSource();
        var sets = Enumerable.Range(0, 10_000).Select(i => rig.Set("lamp", i % 100 + 1, client.Token)).ToArray();

        var busy = sets.Count(s => s.IsFaulted && s.Exception!.InnerException is CommandFailedException { Failure.Code: "busy" });
        Assert.Equal(10_000 - 256, busy);
        Assert.Equal(256, sets.Count(s => !s.IsCompleted));

        await client.CancelAsync();
        var waiting = sets.Where(s => !s.IsFaulted).ToArray();
        foreach (var s in waiting) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.WaitAsync(Timeout));
        Assert.Equal(0, rig.Time.AliveTimers);

        // The list is empty again: a full list's worth is taken, and answered.
        var again = Enumerable.Range(1, 256).Select(i => rig.Set("lamp", i % 100 + 1)).ToArray();
        Assert.DoesNotContain(again, s => s.IsFaulted);
        if (mode == CommandConcurrency.Correlated)
            for (var v = 1; v <= 100; v++) rig.Driver.Reply(v);
        else
            for (var i = 1; i <= 256; i++) rig.Report(lamp, i % 100 + 1);
        var states = await Task.WhenAll(again).WaitAsync(Timeout);
        for (var i = 0; i < 256; i++) Assert.Equal((i + 1) % 100 + 1, PendingListRig.Brightness(states[i]));
    }
}
