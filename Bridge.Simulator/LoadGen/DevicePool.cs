using System.Text.Json;
using System.Threading.Channels;

namespace Bridge.Simulator.LoadGen;

/// <summary>
/// The devices being commanded. A slot rents a device, commands it and returns it, so each device
/// has at most <c>perDevice</c> commands in flight; devices are handed out least recently used
/// first. When there are fewer rentals than in-flight slots, the extra slots queue here.
/// </summary>
internal sealed class DevicePool
{
    private readonly JsonEncodedText[] _encodedIds;
    private readonly int[] _sent;
    private readonly bool[] _initiallyOn;
    private readonly Channel<int> _free = Channel.CreateUnbounded<int>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    public DevicePool(IReadOnlyList<DeviceTarget> devices, int perDevice = 1)
    {
        _encodedIds = new JsonEncodedText[devices.Count];
        _sent = new int[devices.Count];
        _initiallyOn = new bool[devices.Count];
        for (int i = 0; i < devices.Count; i++)
        {
            _encodedIds[i] = JsonEncodedText.Encode(devices[i].Id);
            _initiallyOn[i] = devices[i].PowerOn;
        }

        for (int round = 0; round < perDevice; round++)
        {
            for (int i = 0; i < devices.Count; i++)
            {
                _free.Writer.TryWrite(i);
            }
        }
    }

    public int Count => _encodedIds.Length;

    public ValueTask<int> RentAsync(CancellationToken ct) => _free.Reader.ReadAsync(ct);

    public void Return(int device) => _free.Writer.TryWrite(device);

    public JsonEncodedText EncodedId(int device) => _encodedIds[device];

    /// <summary>The value for the device's next command: the opposite of the one sent before it, so
    /// every command changes the state and pipelined commands to one device alternate.</summary>
    public bool NextPowerOn(int device) => ((Interlocked.Increment(ref _sent[device]) & 1) == 1) != _initiallyOn[device];
}
