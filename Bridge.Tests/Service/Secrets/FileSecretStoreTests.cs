using Bridge.Service.Secrets;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Secrets;

// File modes are a Unix matter; the bridge runs on Linux.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileSecretStoreTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-secrets-").FullName;
    private readonly LogCapture _logs = new();
    private readonly ILoggerFactory _loggers;

    public FileSecretStoreTests() => _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));

    private string FilePath => Path.Combine(_dir, FileSecretStore.FileName);

    private FileSecretStore Open() => new(_dir, _loggers.CreateLogger<FileSecretStore>());

    public void Dispose()
    {
        _loggers.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_secret_outlives_a_restart_in_an_owner_only_file_and_never_reaches_the_log()
    {
        var store = Open();
        store.Set("device/tuya-abc/key", "0123456789abcdef");
        store.Set("device/miio-42/token", "00112233445566778899aabbccddeeff");

        var reopened = Open();
        Assert.True(reopened.TryGet("device/tuya-abc/key", out var key));
        Assert.Equal("0123456789abcdef", key);
        Assert.Equal(["device/miio-42/token", "device/tuya-abc/key"], reopened.Names("device/"));
        Assert.Empty(reopened.Names("mqtt/"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(FilePath));
        Assert.Contains("device/tuya-abc/key", _logs.AllText);
        Assert.DoesNotContain("0123456789abcdef", _logs.AllText);
        Assert.DoesNotContain("00112233445566778899aabbccddeeff", _logs.AllText);
    }

    [Fact]
    public void Replacing_and_removing_a_secret_outlive_a_restart()
    {
        var store = Open();
        store.Set("device/tuya-abc/key", "old-key-old-key!");
        store.Set("device/tuya-abc/key", "new-key-new-key!");
        store.Set("device/gone/key", "gone-gone-gone!!");
        Assert.True(store.Remove("device/gone/key"));
        Assert.False(store.Remove("device/gone/key"));

        var reopened = Open();
        Assert.True(reopened.TryGet("device/tuya-abc/key", out var key));
        Assert.Equal("new-key-new-key!", key);
        Assert.False(reopened.TryGet("device/gone/key", out _));
        Assert.DoesNotContain("old-key-old-key!", File.ReadAllText(FilePath));
        Assert.DoesNotContain("gone-gone-gone!!", File.ReadAllText(FilePath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("line\nbreak")]
    [InlineData("ключ")]
    public void A_name_that_is_not_a_secret_name_is_refused_and_nothing_is_written(string name)
    {
        var store = Open();
        var e = Assert.Throws<ArgumentException>(() => store.Set(name, "the-value"));
        Assert.DoesNotContain("the-value", e.Message);
        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public void A_damaged_file_stops_the_store_with_a_message_that_names_the_file_but_no_secret_and_is_left_as_it_was()
    {
        const string damaged = "{\"version\":1,\"secrets\":{\"device/a/key\":\"sekrit-value\",";
        File.WriteAllText(FilePath, damaged);
        var e = Assert.Throws<InvalidDataException>(Open);
        Assert.Contains(FilePath, e.Message);
        Assert.DoesNotContain("sekrit-value", e.Message);
        Assert.Equal(damaged, File.ReadAllText(FilePath));
    }

    [Fact]
    public void A_file_others_can_read_is_narrowed_to_the_owner_when_loaded()
    {
        Open().Set("device/a/key", "value-of-a");
        File.SetUnixFileMode(FilePath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var reopened = Open();
        Assert.True(reopened.TryGet("device/a/key", out _));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(FilePath));
        Assert.Contains(_logs.Events, e => e.Level == LogLevel.Warning && e.Text.Contains("narrowed to 0600"));
    }

    [Fact]
    public void A_temporary_file_left_readable_by_a_crash_does_not_make_the_store_readable()
    {
        var leftover = Path.Combine(_dir, $".{FileSecretStore.FileName}.{Environment.ProcessId}.tmp");
        File.WriteAllText(leftover, "half-written");
        File.SetUnixFileMode(leftover, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Open().Set("device/a/key", "value-of-a");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(FilePath));
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task The_bridge_keeps_its_secrets_across_a_restart_and_in_no_other_file_of_its_data_dir()
    {
        const string value = "a-device-key-9f3e";
        await using (var bridge = await TestBridge.StartAsync(_dir, demo: true))
            bridge.App.Services.GetRequiredService<ISecretStore>().Set(SecretNames.ForDevice("lamp-1", "key"), value);
        await using (var bridge = await TestBridge.StartAsync(_dir, demo: true))
        {
            Assert.True(bridge.App.Services.GetRequiredService<ISecretStore>().TryGet("device/lamp-1/key", out var kept));
            Assert.Equal(value, kept);
        }
        Assert.True(File.Exists(Path.Combine(_dir, "devices.json")));
        foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories).Where(f => f != FilePath && !f.EndsWith(".tmp", StringComparison.Ordinal)))
            Assert.DoesNotContain(value, File.ReadAllText(file));
    }
}
