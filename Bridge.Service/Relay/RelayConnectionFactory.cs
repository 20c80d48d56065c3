using System.Net.WebSockets;
using Bridge.Service.Api;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Relay;

/// <summary>Makes a <see cref="RelayConnection"/> for each established link, with what it needs.</summary>
public sealed class RelayConnectionFactory(IOptions<RelayOptions> options, IOptions<ApiOptions> api, TokenService tokens, TokenStore store,
    ApiDispatcher dispatcher, EventHub hub, RelayCounters counters, TimeProvider time, ILoggerFactory loggers)
{
    public RelayConnection Create(WebSocket socket) =>
        new(socket, options.Value, api.Value, tokens, store, dispatcher, hub, counters, time, loggers);
}
