using System.Diagnostics;
using System.Text.Json;
using System.Threading.Tasks.Sources;

using Bridge.Protocols.Buffers;

namespace Bridge.Simulator.LoadGen;

/// <summary>
/// One in-flight slot of a connection: its request buffer and JSON writer (reused for every
/// command) and a reusable awaitable for the reply, so a command allocates nothing.
/// At most one command per slot is outstanding; it is identified by <c>&lt;slot&gt;.&lt;sequence&gt;</c>.
/// </summary>
internal sealed class PendingCommand : IValueTaskSource<CommandReply>, IDisposable
{
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText OpName = JsonEncodedText.Encode("op");
    private static readonly JsonEncodedText SetOp = JsonEncodedText.Encode("set");
    private static readonly JsonEncodedText PingOp = JsonEncodedText.Encode("ping");
    private static readonly JsonEncodedText DeviceName = JsonEncodedText.Encode("device");
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText PowerName = JsonEncodedText.Encode("power");
    private static readonly JsonEncodedText On = JsonEncodedText.Encode("on");
    private static readonly JsonEncodedText Off = JsonEncodedText.Encode("off");

    private readonly PooledBufferWriter _buffer = new();
    private readonly Utf8JsonWriter _writer;
    private ManualResetValueTaskSourceCore<CommandReply> _core = new() { RunContinuationsAsynchronously = true };

    /// <summary>The sequence number of the outstanding command, 0 when none.</summary>
    private long _armed;
    private long _sentTimestamp;
    private long _lastSequence;

    /// <summary>The power value the outstanding set asked for (1 on, 0 off), -1 for a ping.</summary>
    private sbyte _expectedPower = -1;

    public PendingCommand(int slot)
    {
        Slot = slot;
        _writer = new Utf8JsonWriter(_buffer);
    }

    public int Slot { get; }

    public ReadOnlyMemory<byte> Request => _buffer.WrittenMemory;

    public long ArmedSequence => Volatile.Read(ref _armed);

    public long SentTimestamp => Volatile.Read(ref _sentTimestamp);

    /// <summary>Writes <c>{"id":"slot.seq","op":"set","device":D,"state":{"power":"on|off"}}</c> and returns the new sequence.</summary>
    public long BuildSet(JsonEncodedText device, bool powerOn)
    {
        long sequence = Begin(SetOp);
        _expectedPower = powerOn ? (sbyte)1 : (sbyte)0;
        _writer.WriteString(DeviceName, device);
        _writer.WriteStartObject(StateName);
        _writer.WriteString(PowerName, powerOn ? On : Off);
        _writer.WriteEndObject();
        return End(sequence);
    }

    /// <summary>Writes <c>{"id":"slot.seq","op":"ping"}</c> and returns the new sequence.</summary>
    public long BuildPing()
    {
        _expectedPower = -1;
        return End(Begin(PingOp));
    }

    /// <summary>Starts a request with a fresh id and <paramref name="op"/>; returns the new sequence.</summary>
    private long Begin(JsonEncodedText op)
    {
        long sequence = ++_lastSequence;
        Span<byte> id = stackalloc byte[32];
        int idLength = ReplyParser.FormatCommandId(Slot, sequence, id);

        _buffer.Reset();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString(IdName, id[..idLength]);
        _writer.WriteString(OpName, op);
        return sequence;
    }

    private long End(long sequence)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return sequence;
    }

    /// <summary>Marks <paramref name="sequence"/> as outstanding and returns the awaitable for its reply.</summary>
    public ValueTask<CommandReply> Arm(long sequence)
    {
        if (Volatile.Read(ref _armed) != 0)
        {
            throw new InvalidOperationException($"slot {Slot} already has a command in flight");
        }

        _core.Reset();
        Volatile.Write(ref _sentTimestamp, Stopwatch.GetTimestamp());
        Volatile.Write(ref _armed, sequence);
        return new ValueTask<CommandReply>(this, _core.Version);
    }

    /// <summary>Stamps the send time; call just before the frame goes out.</summary>
    public void MarkSent() => Volatile.Write(ref _sentTimestamp, Stopwatch.GetTimestamp());

    /// <summary>
    /// Completes the outstanding command if it is still <paramref name="sequence"/>. Exactly one
    /// caller wins (reply, timeout watchdog, connection loss); late replies are ignored.
    /// </summary>
    /// <remarks>An ok reply to a set must carry the power value that set asked for in its
    /// <c>state</c> (<paramref name="statePower"/>); one with another value or none counts as
    /// <see cref="ErrorTally.WrongState"/>: a command completed with another's state.</remarks>
    public bool TryComplete(long sequence, bool ok, string? errorCode, long receivedTimestamp, sbyte statePower = -1)
    {
        long sent = Volatile.Read(ref _sentTimestamp);
        sbyte expected = _expectedPower;
        if (sequence == 0 || Interlocked.CompareExchange(ref _armed, 0, sequence) != sequence)
        {
            return false;
        }

        if (ok && expected >= 0 && statePower != expected)
        {
            ok = false;
            errorCode = ErrorTally.WrongState;
        }

        _core.SetResult(new CommandReply(ok, ok ? null : errorCode ?? ErrorTally.Unknown, sent, receivedTimestamp));
        return true;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
    }

    CommandReply IValueTaskSource<CommandReply>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<CommandReply>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<CommandReply>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
