using Bridge.Protocols.Tuya;

namespace Bridge.Tests.Protocols;

/// <summary>Bridge.Protocols holds codecs only: its compiled IL names no stream, socket, file,
/// timer or clock. Read from the assembly's metadata, so a reference made in any file (or by a
/// compiler-generated state machine) is caught, not just the ones a text search would see.</summary>
public sealed class ProtocolsDoNoIoTests
{
    [Fact]
    public void The_protocols_assembly_references_no_io_and_no_time()
    {
        var offenders = AssemblyReferences.Read(typeof(TuyaCodec).Assembly.Location)
            .Select(IoAndTimeReferences.Why)
            .OfType<string>()
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0,
            "Bridge.Protocols references I/O or time; move that code to Bridge.Runtime:\n  " + string.Join("\n  ", offenders));
    }

    [Fact]
    public void The_check_finds_what_was_moved_out_to_Bridge_Runtime()
    {
        // TuyaFrameReader (reads a Stream) and PreciseDelay (Task.Delay, spinning on a Stopwatch)
        // were in Bridge.Protocols until issue 9; a check blind to them would pass for the wrong reason.
        var why = AssemblyReferences.Read(typeof(Bridge.Runtime.Tuya.TuyaFrameReader).Assembly.Location)
            .Select(IoAndTimeReferences.Why)
            .OfType<string>()
            .ToList();

        Assert.Contains("System.IO.Stream::ReadAsync (a Stream: reading or writing one is I/O)", why);
        Assert.Contains("System.Net.Sockets.SocketException (namespace System.Net.Sockets is I/O)", why);
        Assert.Contains("System.Threading.Tasks.Task::Delay (waits or reads the clock)", why);
        Assert.Contains("System.Diagnostics.Stopwatch::GetTimestamp (I/O or time)", why);
        Assert.Contains("System.TimeProvider (I/O or time)", why);
    }
}
