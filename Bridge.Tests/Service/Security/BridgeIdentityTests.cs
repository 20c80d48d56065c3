using Bridge.Service.Security;

namespace Bridge.Tests.Service.Security;

// The bridge runs on Linux only (network namespaces, pseudo-terminals); file modes are Unix's.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BridgeIdentityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-identity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_signing_key_file_is_created_private_to_the_owner()
    {
        using (BridgeIdentity.LoadOrCreate(_dir))
        {
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_dir, BridgeIdentity.FileName)));
    }
}
