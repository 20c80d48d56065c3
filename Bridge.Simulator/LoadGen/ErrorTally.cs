using System.Text;

namespace Bridge.Simulator.LoadGen;

/// <summary>Counts failed commands by error code. Thread-safe; errors are rare, so a lock is fine.</summary>
public sealed class ErrorTally
{
    /// <summary>The load generator gave up waiting for the reply.</summary>
    public const string LoadGenTimeout = "loadgen_timeout";

    /// <summary>An <c>ok</c> reply to a set whose <c>state.power</c> is not the value that set asked for.</summary>
    public const string WrongState = "wrong_state";

    /// <summary>The connection closed before the reply arrived.</summary>
    public const string ConnectionClosed = "connection_closed";

    /// <summary>The command was never sent (its connection had closed).</summary>
    public const string NotSent = "not_sent";

    /// <summary>The run was cancelled while the command was in flight.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A reply with ok false (or no ok) and no error code.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] KnownCodes =
    [
        "bad_request", "unauthorized", "forbidden", "unknown_op", "unknown_device", "unsupported_capability",
        "invalid_value", "device_offline", "timeout", "busy", "provision_failed", "internal",
        LoadGenTimeout, ConnectionClosed, NotSent, Cancelled, Unknown,
    ];

    private static readonly byte[][] KnownCodesUtf8 = KnownCodes.Select(Encoding.UTF8.GetBytes).ToArray();

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>
    /// Returns the code as a string, without allocating for the codes of the API contract.
    /// </summary>
    public static string Intern(ReadOnlySpan<byte> utf8Code)
    {
        if (utf8Code.IsEmpty)
        {
            return Unknown;
        }

        for (int i = 0; i < KnownCodesUtf8.Length; i++)
        {
            if (utf8Code.SequenceEqual(KnownCodesUtf8[i]))
            {
                return KnownCodes[i];
            }
        }

        return Encoding.UTF8.GetString(utf8Code);
    }

    public void Add(string code, long times = 1)
    {
        if (times <= 0)
        {
            return;
        }

        lock (_counts)
        {
            _counts[code] = _counts.GetValueOrDefault(code) + times;
            _total += times;
        }
    }

    /// <summary>A copy of the counts, sorted by code.</summary>
    public SortedDictionary<string, long> Snapshot()
    {
        lock (_counts)
        {
            return new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);
        }
    }
}
