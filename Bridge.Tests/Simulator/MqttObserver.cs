using System.Buffers;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Bridge.Tests.Simulator;

/// <summary>One message an observer received.</summary>
public sealed record Received(string Topic, byte[] Payload, bool Retain)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Payload);
        return doc.RootElement.Clone();
    }

    public bool IsJson()
    {
        try
        {
            using var _ = JsonDocument.Parse(Payload);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>A plain MQTTnet client watching the broker: records every message and lets a test wait for
/// one (event-driven, bounded by a timeout) or publish as the bridge would.</summary>
public sealed class MqttObserver : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly IMqttClient _client;
    private readonly List<Received> _messages = [];
    private readonly List<(Func<Received, bool> Match, int Since, TaskCompletionSource<Received> Done)> _waiters = [];

    private MqttObserver(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = new Received(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain);
            lock (_messages)
            {
                _messages.Add(m);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (!_waiters[i].Match(m)) continue;
                    _waiters[i].Done.TrySetResult(m);
                    _waiters.RemoveAt(i);
                }
            }
            return Task.CompletedTask;
        };
    }

    public static async Task<MqttObserver> ConnectAsync(string host, int port, params string[] filters)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var observer = new MqttObserver(client);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("observer-" + Guid.NewGuid().ToString("N")[..8])
            .Build();
        await client.ConnectAsync(options);
        if (filters.Length > 0)
        {
            var sub = new MqttClientSubscribeOptionsBuilder();
            foreach (var f in filters) sub.WithTopicFilter(f, MqttQualityOfServiceLevel.AtLeastOnce);
            await client.SubscribeAsync(sub.Build());
        }
        return observer;
    }

    /// <summary>How many messages have arrived so far; pass it as <c>since</c> to wait only for later ones.</summary>
    public int Mark()
    {
        lock (_messages) return _messages.Count;
    }

    public IReadOnlyList<Received> Since(int mark)
    {
        lock (_messages) return _messages.Skip(mark).ToList();
    }

    /// <summary>The first message (at or after <paramref name="since"/>) that matches; throws on timeout.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, int since = 0, TimeSpan? timeout = null, string? what = null)
    {
        TaskCompletionSource<Received> done;
        lock (_messages)
        {
            for (var i = since; i < _messages.Count; i++)
                if (match(_messages[i])) return _messages[i];
            done = new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, since, done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            lock (_messages)
                throw new TimeoutException($"No message {what ?? "matching"} within {(timeout ?? DefaultTimeout).TotalSeconds} s; got: "
                    + string.Join(" | ", _messages.Skip(since).Select(m => m.Topic + " " + m.Text)));
        }
    }

    /// <summary>The <paramref name="n"/>th matching message at or after <paramref name="since"/>.</summary>
    public Task<Received> WaitForNthAsync(Func<Received, bool> match, int n, int since = 0, TimeSpan? timeout = null)
    {
        var seen = 0;
        return WaitForAsync(m => match(m) && ++seen == n, since, timeout, $"number {n} matching");
    }

    public Task<Received> WaitForAsync(string topic, int since = 0, TimeSpan? timeout = null) =>
        WaitForAsync(m => m.Topic == topic, since, timeout, "on " + topic);

    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        _client.Dispose();
    }
}
