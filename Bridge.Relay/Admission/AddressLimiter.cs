using System.Collections.Concurrent;
using System.Net;
using Bridge.Relay.Settings;
using Microsoft.Extensions.Options;

namespace Bridge.Relay.Admission;

/// <summary>Caps open connections per remote address, so one host cannot take all of a node's sockets.</summary>
public sealed class AddressLimiter(IOptions<RelayOptions> options)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    private readonly int _max = options.Value.MaxConnectionsPerAddress;

    public bool TryAcquire(IPAddress? address)
    {
        address ??= IPAddress.None;
        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= _max) return false;
            if (_open.TryUpdate(address, current + 1, current)) return true;
        }
    }

    public void Release(IPAddress? address)
    {
        address ??= IPAddress.None;
        while (true)
        {
            if (!_open.TryGetValue(address, out var current)) return;
            if (current <= 1)
            {
                if (_open.TryRemove(new KeyValuePair<IPAddress, int>(address, current))) return;
            }
            else if (_open.TryUpdate(address, current - 1, current)) return;
        }
    }
}
