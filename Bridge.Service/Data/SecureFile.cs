namespace Bridge.Service.Data;

/// <summary>Crash-safe file writes: write a temporary file, flush it to disk, then rename it over
/// the old one, so a kill at any moment leaves either the old or the new content, never a mix.</summary>
public static class SecureFile
{
    /// <summary>The temporary file's name is per process: two writers in one process (the store's own
    /// save and an explicit one) take turns instead of failing on each other's open temporary file.</summary>
    private static readonly Lock Writing = new();

    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, bool ownerOnly)
    {
        lock (Writing) Write(path, content, ownerOnly);
    }

    private static void Write(string path, ReadOnlySpan<byte> content, bool ownerOnly)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        // A temporary file left by a crash keeps its old mode when opened again; start from none.
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
