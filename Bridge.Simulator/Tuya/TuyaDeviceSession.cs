using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Protocols.Tuya;
using Bridge.Runtime.Tuya;

namespace Bridge.Simulator.Tuya;

/// <summary>One client's connection to a simulated Tuya device: the handshake, then queries,
/// controls (ack, then a STATUS push with what changed), heartbeats and UPDATEDPS. A frame made
/// with another key is answered with an error under the device's own key, which the client cannot
/// read: that is how a client learns its key is wrong.</summary>
internal sealed class TuyaDeviceSession(SimulatedTuyaDevice device, Socket socket)
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly TuyaCodec _codec = new(device.Version, device.LocalKey);
    private byte[]? _clientNonce;
    private byte[]? _deviceNonce;
    private uint _ownSequence;
    private uint _lastSequence;

    public async Task RunAsync(CancellationToken ct)
    {
        var reader = new TuyaFrameReader(_stream);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var m = await reader.ReadAsync(_codec, fromDevice: false, OnBadFrame, ct).ConfigureAwait(false);
                if (m is not { } message) break;
                device.Received(message.Command);
                if (device.Silent) continue;
                await HandleAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            // The slot is free before the client sees this end close (a real device drops the client, then closes).
            device.Left(this);
            Close();
        }
    }

    public void Close() => _stream.Dispose();

    public Task PushStatusAsync(IEnumerable<KeyValuePair<string, TuyaDpValue>> dps) =>
        device.Silent ? Task.CompletedTask : WriteAsync(_lastSequence, TuyaCommand.Status, TuyaJson.Report(device.Version, device.DevId, device.Time.GetUtcNow(), dps, push: true));

    private bool OnBadFrame(TuyaDecodeStatus status, uint sequence, uint command, string error)
    {
        if (status != TuyaDecodeStatus.Unauthentic || device.Silent) return true;
        // Made with another key: answer in the device's own key (the client cannot read it).
        _ = command is TuyaCommand.SessionKeyStart
            ? WriteAsync(sequence, TuyaCommand.SessionKeyResponse, TuyaKeys.NewNonce().Concat(TuyaKeys.NewNonce()).Concat(TuyaKeys.NewNonce()).ToArray())
            : WriteAsync(sequence, command, "data format error"u8.ToArray(), returnCode: 1);
        return true;
    }

    private async Task HandleAsync(TuyaMessage m)
    {
        _lastSequence = m.Sequence;
        switch (m.Command)
        {
            case TuyaCommand.SessionKeyStart when device.Version.NeedsSession() && m.Payload.Length >= 16:
                _clientNonce = m.Payload[..16];
                _deviceNonce = TuyaKeys.NewNonce();
                await WriteAsync(m.Sequence, TuyaCommand.SessionKeyResponse, TuyaKeys.HandshakeResponse(device.LocalKey, _clientNonce, _deviceNonce)).ConfigureAwait(false);
                break;
            case TuyaCommand.SessionKeyFinish when _clientNonce is not null && _deviceNonce is not null:
                if (!TuyaKeys.CheckFinish(device.LocalKey, _deviceNonce, m.Payload)) { Close(); return; }
                _codec.SessionKey = TuyaKeys.SessionKey(device.Version, device.LocalKey, _clientNonce, _deviceNonce);
                break;
            case TuyaCommand.HeartBeat:
                await WriteAsync(m.Sequence, TuyaCommand.HeartBeat, []).ConfigureAwait(false);
                break;
            case TuyaCommand.DpQuery or TuyaCommand.DpQueryNew:
                if (!ForThisDevice(m.Payload)) { await WriteAsync(m.Sequence, m.Command, "data format error"u8.ToArray(), 1).ConfigureAwait(false); return; }
                await WriteAsync(m.Sequence, m.Command, TuyaJson.Report(device.Version, device.DevId, device.Time.GetUtcNow(), device.Dps.Snapshot(), push: false)).ConfigureAwait(false);
                break;
            case TuyaCommand.Control or TuyaCommand.ControlNew:
            {
                if (!TuyaJson.TryReadReport(m.Payload, out var request, out _) || !ForThisDevice(m.Payload))
                {
                    await WriteAsync(m.Sequence, m.Command, "json obj data unvalid"u8.ToArray(), 1).ConfigureAwait(false);
                    return;
                }
                var taken = device.Dps.Apply(request!.Dps);
                await WriteAsync(m.Sequence, m.Command, []).ConfigureAwait(false);
                if (taken.Count > 0) await PushStatusAsync(taken).ConfigureAwait(false);
                break;
            }
            case TuyaCommand.UpdateDps:
            {
                await WriteAsync(m.Sequence, m.Command, []).ConfigureAwait(false);
                var ids = ReadDpIds(m.Payload);
                var dps = ids.Count == 0 ? device.Dps.Snapshot().ToList() : device.Dps.Only(ids);
                if (dps.Count > 0) await PushStatusAsync(dps).ConfigureAwait(false);
                break;
            }
        }
    }

    /// <summary>3.1/3.3 bodies name the device; one for another device is refused.</summary>
    private bool ForThisDevice(byte[] payload) =>
        !TuyaJson.TryReadReport(payload, out var r, out _) || r!.DeviceId is null || r.DeviceId == device.DevId || r.DeviceId == "";

    private static List<string> ReadDpIds(byte[] payload)
    {
        var ids = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("dpId", out var a) && a.ValueKind == JsonValueKind.Array)
                foreach (var e in a.EnumerateArray())
                    if (e.TryGetInt32(out var n)) ids.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (JsonException)
        {
        }
        return ids;
    }

    private async Task WriteAsync(uint requestSequence, uint command, byte[] payload, uint returnCode = 0)
    {
        var output = new ArrayBufferWriter<byte>(payload.Length + 128);
        await _write.WaitAsync().ConfigureAwait(false);
        try
        {
            // 3.5 devices number their own frames; older ones echo the request's number.
            var sequence = device.Version == TuyaVersion.V35 ? ++_ownSequence : requestSequence;
            _codec.Write(output, sequence, command, payload, fromDevice: true, returnCode);
            await _stream.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _write.Release();
        }
    }
}
