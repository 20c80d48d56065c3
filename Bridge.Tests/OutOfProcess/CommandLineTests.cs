using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.OutOfProcess;

/// <summary>The bridge's command line as a user types it: help, typos and exit codes, out of process.
/// A typo must never start a bridge (it would take the port and the data directory).</summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("bridge-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DataDirArgument => $"--Data:Dir={_dir}";

    /// <summary>A bridge that started would have created its identity in the data directory.</summary>
    private void AssertNoBridgeStarted(BridgeProcess run)
    {
        Assert.False(File.Exists(Path.Combine(_dir, "identity.json")), "a bridge started:\n" + run.Output);
        Assert.DoesNotContain("Local API:", run.Output);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_the_main_settings_and_exits_0()
    {
        await using var run = BridgeProcess.Start("--help", DataDirArgument);
        Assert.Equal(0, await run.WaitExitAsync(Exit));
        Assert.Matches(@"(?m)^\s+token\s", run.Output);
        Assert.Contains("--demo", run.Output);
        Assert.Contains("--Api:Port=", run.Output);
        Assert.Contains("--Data:Dir=", run.Output);
        Assert.Contains("--Mqtt:Url=", run.Output);
        AssertNoBridgeStarted(run);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("tokn")]
    [InlineData("--hepl")]
    [InlineData("--demo", "--verbose")]
    public async Task An_unknown_command_or_option_prints_what_is_known_and_exits_2(params string[] words)
    {
        await using var run = BridgeProcess.Start([.. words, DataDirArgument]);
        Assert.Equal(2, await run.WaitExitAsync(Exit));
        Assert.Contains($"'{words[^1]}'", run.Output);
        Assert.Matches(@"(?m)^\s+token\s", run.Output);
        Assert.Contains("--Api:Port=", run.Output);
        AssertNoBridgeStarted(run);
    }

    [Fact]
    public async Task The_token_command_has_its_own_help()
    {
        await using var run = BridgeProcess.Start("token", "--help");
        Assert.Equal(0, await run.WaitExitAsync(Exit));
        Assert.Contains("--name", run.Output);
        Assert.Contains("--scope", run.Output);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token", "--name", "phone", "--scope", "root")]
    [InlineData("token", "--name", "phone", "--days", "0")]
    [InlineData("token", "--nmae", "phone")]
    public async Task A_token_command_with_bad_options_exits_2_and_mints_nothing(params string[] words)
    {
        await using var run = BridgeProcess.Start([.. words, DataDirArgument]);
        Assert.Equal(2, await run.WaitExitAsync(Exit));
        Assert.Contains("--name", run.Output); // the token command's help
        Assert.DoesNotMatch(@"(?m)^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", run.Output);
        Assert.False(File.Exists(Path.Combine(_dir, "identity.json")));
    }

    [Fact]
    public async Task Settings_given_as_two_words_are_settings_too()
    {
        await using var run = BridgeProcess.Start("token", "--name", "phone", "--Data:Dir", _dir);
        Assert.Equal(0, await run.WaitExitAsync(Exit));
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", run.Output.Trim());
        Assert.True(File.Exists(Path.Combine(_dir, "identity.json")));
    }
}
