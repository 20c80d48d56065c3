using Bridge.Relay.Settings;
using Microsoft.Extensions.Options;

namespace Bridge.Relay.Clients;

/// <summary>Per-token request rate at the relay (a token bucket per jti, shared by all of a token's
/// connections), so one phone cannot flood its home's link.</summary>
public sealed class TokenRateLimiter(IOptions<RelayOptions> options, TimeProvider time)
{
    private readonly KeyedTokenBuckets<string> _buckets =
        new(options.Value.TokenFramesPerSecond, options.Value.TokenBurst, time, StringComparer.Ordinal);

    /// <summary>Takes one frame's allowance for <paramref name="jti"/>; false when it has none left.</summary>
    public bool TryTake(string jti) => _buckets.TryTake(jti);
}
