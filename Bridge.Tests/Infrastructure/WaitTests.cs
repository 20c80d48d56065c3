namespace Bridge.Tests.Infrastructure;

public sealed class WaitTests
{
    [Fact]
    public async Task UntilReturnsOnceTheConditionHolds()
    {
        int checks = 0;
        await Wait.UntilAsync(() => ++checks >= 3, TimeSpan.FromSeconds(5), "three checks");
        Assert.Equal(3, checks);
    }

    [Fact]
    public async Task UntilThrowsNamingWhatItWaitedFor()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(
            () => Wait.UntilAsync(() => false, TimeSpan.FromMilliseconds(50), "the impossible"));
        Assert.Contains("the impossible", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForReturnsTheResultOrThrowsNamingWhatItWaitedFor()
    {
        Assert.Equal(42, await Wait.ForAsync(Task.FromResult(42), TimeSpan.FromSeconds(1), "a result"));

        var never = new TaskCompletionSource<int>();
        var e = await Assert.ThrowsAsync<TimeoutException>(
            () => Wait.ForAsync(never.Task, TimeSpan.FromMilliseconds(50), "a reply that never comes"));
        Assert.Contains("a reply that never comes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreePortIsLoopbackAndFree()
    {
        int port = FreePort.GetTcp();
        Assert.InRange(port, 1, 65535);
        Assert.False(await FreePort.IsAcceptingAsync(port, TimeSpan.FromSeconds(1)));
    }
}
