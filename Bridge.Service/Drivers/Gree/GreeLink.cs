using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Gree;

namespace Bridge.Service.Drivers.Gree;

/// <summary>One UDP socket to one Gree unit (PROTOCOLS.md §10.3): sends one request at a time and
/// waits for the answer of the expected kind (<c>dev</c>, <c>bindok</c>, <c>dat</c>, <c>res</c>),
/// decrypted with the key and cipher the request used. Units answer nothing to a pack they cannot
/// read (a wrong key, the other cipher), so no answer within the timeout is null, not an error. An
/// answer that names another unit, or does not decrypt, is reported and ignored. Only this class
/// touches the socket.</summary>
public sealed class GreeLink : IDisposable
{
    private readonly Socket _socket;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly Action<string> _malformed;
    private readonly byte[] _buffer = new byte[GreeEnvelope.MaxDatagramBytes + 1];

    public GreeLink(string mac, IPEndPoint endPoint, TimeProvider time, Action<string> malformed)
    {
        Mac = mac;
        EndPoint = endPoint;
        _time = time;
        _malformed = malformed;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        // Connected: the kernel drops datagrams from anyone but the unit.
        _socket.Connect(endPoint);
    }

    public string Mac { get; }
    public IPEndPoint EndPoint { get; }

    /// <summary>Asks the unit's scan answer directly: proves it is there whatever key it holds.</summary>
    public async Task<GreeMessage?> ScanAsync(TimeSpan timeout, CancellationToken ct) =>
        await ExchangeAsync(GreeEnvelope.Scan, GreeCipherVersion.V1, GreeCipher.GenericKeyV1, "dev", timeout, ct, scanAnswer: true).ConfigureAwait(false);

    /// <summary>Sends <paramref name="inner"/> sealed with <paramref name="key"/> (<c>i</c> = 1 for a bind)
    /// and returns the answer of kind <paramref name="expected"/>, or null when none came in time;
    /// <paramref name="answers"/> tells a late answer to an earlier request of the same kind from this one's.</summary>
    public Task<GreeMessage?> RequestAsync(GreeCipherVersion cipher, string key, byte[] inner, string expected, TimeSpan timeout, CancellationToken ct,
        Func<GreeMessage, bool>? answers = null)
    {
        var datagram = GreeEnvelope.Write(cipher, key, expected == "bindok" ? 1 : 0, "app", Mac, inner);
        return ExchangeAsync(datagram, cipher, key, expected, timeout, ct, scanAnswer: false, answers);
    }

    private async Task<GreeMessage?> ExchangeAsync(byte[] datagram, GreeCipherVersion cipher, string key, string expected, TimeSpan timeout, CancellationToken ct, bool scanAnswer,
        Func<GreeMessage, bool>? answers = null)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var deadline = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                await _socket.SendAsync(datagram, SocketFlags.None, linked.Token).ConfigureAwait(false);
                while (true)
                {
                    var n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                    if (Read(_buffer.AsSpan(0, n), cipher, key, expected, scanAnswer) is { } answer && (answers?.Invoke(answer) ?? true)) return answer;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException)
            {
                // Nothing listens at the unit's address (ICMP port unreachable) counts as no answer.
                return null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The answer in <paramref name="datagram"/> when it is the expected one; null otherwise
    /// (a late answer to an earlier request is skipped quietly, anything broken is reported).</summary>
    private GreeMessage? Read(ReadOnlySpan<byte> datagram, GreeCipherVersion cipher, string key, string expected, bool scanAnswer)
    {
        if (!GreeEnvelope.TryParse(datagram, out var envelope, out var error))
        {
            _malformed(error);
            return null;
        }
        if (envelope!.Pack is null) return null;
        // The scan answer is V1 under the generic key on every firmware; a bind answer uses the generic key of its cipher.
        var (c, k) = scanAnswer ? (GreeCipherVersion.V1, GreeCipher.GenericKeyV1) : (cipher, key);
        if (!GreeCipher.TryDecrypt(c, k, envelope.Pack, envelope.Tag, out var json) || !GreeMessage.TryParse(json, out var m, out error))
        {
            _malformed(error is { Length: > 0 } ? error : "a pack that does not decrypt with this unit's key");
            return null;
        }
        // The inner mac names the unit; without one, the envelope's cid does.
        var from = m!.Mac is { Length: > 0 } inner ? inner : envelope.Cid;
        if (from.Length > 0 && !string.Equals(from, Mac, StringComparison.OrdinalIgnoreCase))
        {
            _malformed($"an answer for another unit ({Shorten(from)})");
            return null;
        }
        return m.T == expected ? m : null;
    }

    private static string Shorten(string? s) => s is null ? "none" : s.Length > 24 ? s[..24] + "…" : s;

    public void Dispose()
    {
        _socket.Dispose();
        _gate.Dispose();
    }
}
