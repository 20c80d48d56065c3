using System.Text.Json;
using System.Threading.Channels;

namespace Bridge.Simulator.LoadGen;

/// <summary>
/// The devices being commanded. A slot rents a device, commands it and returns it, so each device
/// has at most one command in flight; devices are handed out least recently used first. When there
/// are fewer devices than in-flight slots, the extra slots queue here for a free device.
/// </summary>
internal sealed class DevicePool
{
    private readonly JsonEncodedText[] _encodedIds;
    private readonly bool[] _powerOn;
    private readonly Channel<int> _free = Channel.CreateUnbounded<int>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    public DevicePool(IReadOnlyList<DeviceTarget> devices)
    {
        _encodedIds = new JsonEncodedText[devices.Count];
        _powerOn = new bool[devices.Count];
        for (int i = 0; i < devices.Count; i++)
        {
            _encodedIds[i] = JsonEncodedText.Encode(devices[i].Id);
            _powerOn[i] = devices[i].PowerOn;
            _free.Writer.TryWrite(i);
        }
    }

    public int Count => _encodedIds.Length;

    public ValueTask<int> RentAsync(CancellationToken ct) => _free.Reader.ReadAsync(ct);

    public void Return(int device) => _free.Writer.TryWrite(device);

    public JsonEncodedText EncodedId(int device) => _encodedIds[device];

    /// <summary>The value that changes the device's state: the opposite of what it was last set to.</summary>
    public bool NextPowerOn(int device) => !_powerOn[device];

    /// <summary>Remembers the value last commanded (only the renter of the device calls this).</summary>
    public void Commanded(int device, bool powerOn) => _powerOn[device] = powerOn;
}
