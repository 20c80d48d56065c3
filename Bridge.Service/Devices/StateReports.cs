using System.Runtime.InteropServices;
using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>Reads a device message into capability values; false when the message cannot be read
/// at all (nothing is applied then).</summary>
public delegate bool ReportReader<TMessage>(TMessage message, List<KeyValuePair<string, StateValue>> into);

/// <summary>Builds one state report from a device message and hands it to the registry, the same
/// way for every protocol: the values a mapping reads, applied at once (so one message is one
/// <c>state</c> event and confirms pending commands once), the device marked online first when
/// the message shows it is up.</summary>
public static class StateReports
{
    /// <param name="deviceTalked">The message came from the device just now (not a retained or
    /// cached copy), so it is up even if its last will said otherwise.</param>
    /// <returns>False when <paramref name="read"/> could not read the message.</returns>
    public static bool Report<TMessage>(this DeviceRegistry registry, Device device, TMessage message, ReportReader<TMessage> read,
        bool deviceTalked = false, int expected = 4)
    {
        var values = new List<KeyValuePair<string, StateValue>>(expected);
        if (!read(message, values)) return false;
        if (deviceTalked && !device.Online) registry.SetOnline(device, true);
        registry.ApplyReport(device, CollectionsMarshal.AsSpan(values));
        return true;
    }
}
