namespace Bridge.Tests.Infrastructure;

/// <summary>The checkout the tests were built from: the folder above the test binaries that holds
/// DeviceBridge.sln. For tests that read the sources themselves.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DeviceBridge.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no DeviceBridge.sln above {AppContext.BaseDirectory}");
    }
}
