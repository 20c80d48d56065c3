using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>Receives what happens to devices. Implementations must be quick and must not throw.</summary>
public interface IDeviceEvents
{
    void StateChanged(Device device, KeyValuePair<string, StateValue>[] state);
    void OnlineChanged(Device device, bool online);
    void Added(Device device);
    void Removed(Device device);
}
