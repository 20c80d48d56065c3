namespace Bridge.Tests.Protocols;

/// <summary>What a codec must not reference (DESIGN.md, "Parts and their seams": Bridge.Protocols
/// is bytes ⇄ messages, unit-testable without a socket or a clock). Whatever reads a stream,
/// opens a socket or a file, waits, or reads the clock belongs in Bridge.Runtime or further out.</summary>
public static class IoAndTimeReferences
{
    /// <summary>Namespaces whose every type is I/O.</summary>
    private static readonly string[] Namespaces = ["System.Net.Sockets", "System.Net.Http", "System.Net.WebSockets", "System.Net.Security", "System.IO.Ports", "System.IO.Pipes"];

    /// <summary>Types that are I/O or time wherever they are used.</summary>
    private static readonly HashSet<string> Types =
    [
        "System.IO.File", "System.IO.Directory", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.FileSystemInfo",
        "System.Diagnostics.Stopwatch", "System.TimeProvider", "System.Net.Dns",
        "System.Threading.Timer", "System.Threading.PeriodicTimer", "System.Timers.Timer",
    ];

    /// <summary>Members that wait or read the clock on types that are otherwise fine (Task, DateTime...).</summary>
    private static readonly HashSet<string> Members =
    [
        "System.Threading.Tasks.Task::Delay", "System.Threading.Tasks.Task::WaitAsync", "System.Threading.Tasks.Task::Wait",
        "System.Threading.Thread::Sleep", "System.Threading.Thread::SpinWait",
        "System.Threading.CancellationTokenSource::CancelAfter",
        "System.DateTime::get_Now", "System.DateTime::get_UtcNow", "System.DateTime::get_Today",
        "System.DateTimeOffset::get_Now", "System.DateTimeOffset::get_UtcNow",
        "System.Environment::get_TickCount", "System.Environment::get_TickCount64",
    ];

    /// <summary>Narrow exceptions inside the namespaces above, each a value, not a transport.</summary>
    private static readonly HashSet<string> Allowed =
    [
        // The enum IPAddress.AddressFamily returns: parsing an announced address and keying a rate
        // limit by /64 ask "IPv4 or IPv6?" of an address, and open nothing.
        "System.Net.Sockets.AddressFamily",
    ];

    /// <summary>Why <paramref name="reference"/> is I/O or time, or null when it is neither.</summary>
    public static string? Why(ExternalReference reference)
    {
        if (Allowed.Contains(reference.FullTypeName)) return null;
        if (Namespaces.Any(ns => reference.Namespace == ns || reference.Namespace.StartsWith(ns + ".", StringComparison.Ordinal)))
            return $"{reference} (namespace {reference.Namespace} is I/O)";
        if (Types.Contains(reference.FullTypeName)) return $"{reference} (I/O or time)";
        if (Members.Contains(reference.ToString())) return $"{reference} (waits or reads the clock)";
        // Stream and everything derived from it (NetworkStream, FileStream, SslStream...): a codec
        // takes spans and writes to an IBufferWriter, a reader of streams is a transport.
        if (reference.Resolve() is { } type && typeof(Stream).IsAssignableFrom(type))
            return $"{reference} (a Stream: reading or writing one is I/O)";
        return null;
    }
}
