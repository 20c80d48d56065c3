using System.Buffers;
using System.Collections.Concurrent;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Api;

/// <summary>Serialises each device event once and offers it to every subscribed session.</summary>
public sealed class EventHub : IDeviceEvents
{
    private readonly ConcurrentDictionary<ApiSession, byte> _subscribers = new();

    public void Subscribe(ApiSession session) => _subscribers.TryAdd(session, 0);

    public void Unsubscribe(ApiSession session) => _subscribers.TryRemove(session, out _);

    public int SubscriberCount => _subscribers.Count;

    public void StateChanged(Device device, KeyValuePair<string, StateValue>[] state)
    {
        if (_subscribers.IsEmpty) return;
        Publish(w => ApiWriter.StateEvent(w, device.Id, state));
    }

    public void OnlineChanged(Device device, bool online)
    {
        if (_subscribers.IsEmpty) return;
        Publish(w => ApiWriter.OnlineEvent(w, device.Id, online));
    }

    public void Added(Device device)
    {
        if (_subscribers.IsEmpty) return;
        var view = device.View();
        Publish(w => ApiWriter.DeviceAddedEvent(w, view));
    }

    public void Removed(Device device)
    {
        if (_subscribers.IsEmpty) return;
        Publish(w => ApiWriter.DeviceRemovedEvent(w, device.Id));
    }

    /// <summary>Offers one event, written once, to every subscriber (household events use it too).</summary>
    public void Publish(Action<IBufferWriter<byte>> write)
    {
        if (_subscribers.IsEmpty) return;
        var buffer = new ArrayBufferWriter<byte>(256);
        write(buffer);
        // One array shared by every session, never pooled: sessions send it at different times.
        var frame = new OutgoingFrame(buffer.WrittenSpan.ToArray(), buffer.WrittenCount, Pooled: false);
        foreach (var session in _subscribers.Keys) session.OfferEvent(frame);
    }
}
