using System.Text.Json;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Commands;

/// <summary>Several <c>set</c>s to one lamp at once, end to end: the real host, its embedded broker and
/// the simulated Tasmota lamp answering in order (stat/&lt;t&gt;/RESULT, then stat/&lt;t&gt;/POWER).</summary>
public sealed class ConcurrentSetsTests(DemoBridgeFixture fixture) : IClassFixture<DemoBridgeFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_hundred_concurrent_sets_to_one_lamp_all_succeed_each_with_its_own_value_in_sending_order()
    {
        await using var phone = await fixture.Bridge.ConnectAsync();
        await using var tablet = await fixture.Bridge.ConnectAsync();
        JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }));

        var sets = Enumerable.Range(0, 200).Select(i =>
        {
            var client = i % 2 == 0 ? phone : tablet;
            var brightness = i % 100 + 1;
            return (Brightness: brightness, Reply: client.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness } }, Timeout));
        }).ToArray();
        await Task.WhenAll(sets.Select(s => s.Reply));

        foreach (var (brightness, reply) in sets)
        {
            var r = await reply;
            JsonAssert.Ok(r);
            Assert.Equal(brightness, r.GetProperty("state").GetProperty("brightness").GetInt32());
        }
        foreach (var client in new[] { phone, tablet })
        {
            var sent = client.SentIds.Skip(client == phone ? 1 : 0).ToArray();
            var replied = client.RepliedIds.Skip(client == phone ? 1 : 0).ToArray();
            Assert.Equal(sent, replied);
        }
    }
}
