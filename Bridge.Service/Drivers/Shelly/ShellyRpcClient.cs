using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Protocols.Shelly;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>JSON-RPC over MQTT to Shelly devices: requests go to <c>&lt;prefix&gt;/rpc</c> with our
/// <c>src</c>; devices answer on <c>&lt;src&gt;/rpc</c>, matched here by id and, once the device's
/// id is known, by the reply's <c>src</c>: every Shelly shares the reply topic, so a reply that
/// another device sent (or guessed the id of) must not answer this device's request.</summary>
public sealed class ShellyRpcClient
{
    private readonly IMqttLink _mqtt;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, Waiter> _waiting = new();
    private long _nextId;

    public ShellyRpcClient(IMqttLink mqtt, BridgeIdentity identity, TimeProvider time)
    {
        _mqtt = mqtt;
        _time = time;
        Source = SourceOf(identity);
        _nextId = Random.Shared.Next(1, 1 << 20);
    }

    /// <summary>Our RPC <c>src</c>; replies arrive on <c>&lt;Source&gt;/rpc</c>.</summary>
    public string Source { get; }

    /// <summary>The <c>src</c> of the bridge with that identity (also for those who must not depend on the client).</summary>
    public static string SourceOf(BridgeIdentity identity) => "devicebridge-" + identity.Id;

    /// <summary>Takes a reply frame off the wire. False when nobody waits for it, or the request
    /// waits for a reply from another device (its <c>src</c> is not that device's id).</summary>
    public bool Deliver(ShellyFrame frame)
    {
        if (frame.Id is not { } id || !_waiting.TryGetValue(id, out var waiter)) return false;
        if (waiter.From is not null && !string.Equals(frame.Src, waiter.From, StringComparison.Ordinal)) return false;
        if (!_waiting.TryRemove(new KeyValuePair<long, Waiter>(id, waiter))) return false;
        waiter.Reply.TrySetResult(frame);
        return true;
    }

    /// <summary>Calls a method and returns the reply frame (dispose it). Throws
    /// <see cref="CommandFailedException"/> on an RPC error or no answer within <paramref name="timeout"/>.</summary>
    /// <param name="from">The device's id, when known: only a reply whose <c>src</c> is that id answers.</param>
    public async Task<ShellyFrame> CallAsync<TState>(string prefix, string method, TState state, Action<Utf8JsonWriter, TState>? writeParams, TimeSpan timeout, CancellationToken ct,
        string? from = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<ShellyFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = new Waiter(waiter, from);
        try
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            ShellyRpc.WriteRequest(buffer, id, Source, method, state, writeParams);
            await _mqtt.PublishCommandAsync(ShellyTopics.Rpc(prefix), buffer.WrittenMemory, ct).ConfigureAwait(false);
            ShellyFrame frame;
            try
            {
                frame = await waiter.Task.WaitAsync(timeout, _time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new CommandFailedException(new(Protocols.Api.ErrorCodes.Timeout, $"Shelly {prefix} did not answer {method}"));
            }
            if (frame.ErrorCode is { } code)
            {
                var message = frame.ErrorMessage;
                frame.Dispose();
                throw new CommandFailedException(new(Protocols.Api.ErrorCodes.Internal, $"Shelly {prefix} refused {method}: {code} {message}"));
            }
            return frame;
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    private sealed record Waiter(TaskCompletionSource<ShellyFrame> Reply, string? From);
}
