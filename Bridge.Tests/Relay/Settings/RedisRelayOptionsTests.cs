using Bridge.Relay.Hosting;
using Bridge.Relay.Settings;

namespace Bridge.Tests.Relay.Settings;

/// <summary>A malformed <c>Relay:Redis</c> is a start-up problem listed with the others.</summary>
public sealed class RedisRelayOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379,notAnOption=1", "Relay:Redis is not a Redis connection string")]
    [InlineData(",", "Relay:Redis names no server")]
    public void A_bad_connection_string_stops_the_start_with_the_other_problems(string redis, string expected)
    {
        var problems = new List<string>();
        Assert.Null(RelayApp.Create([$"--Relay:Redis={redis}", "--Relay:Port=-1"], problems));
        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Relay:Port", StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_connection_string_is_accepted_and_a_password_is_never_echoed()
    {
        Assert.Empty(new RelayOptions { Redis = "127.0.0.1:6379,password=secret,ssl=false" }.Validate());
        foreach (var bad in new[] { ",password=hunter2", "127.0.0.1:1,password=hunter2,bogus=1" })
        {
            var problem = Assert.Single(new RelayOptions { Redis = bad }.Validate());
            Assert.StartsWith("Relay:Redis", problem);
            Assert.DoesNotContain("hunter2", problem);
        }
    }
}
