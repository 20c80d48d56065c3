using Bridge.Service.Hosting;

namespace Bridge.Tests.Service.Hosting;

public sealed class StartupValidationTests
{
    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var problems = new List<string>();
        var app = BridgeApp.Create(["--Api:Port=70000", "--Mqtt:Url=http://nope", "--Api:Bind=not-an-ip",
            "--Commands:ConfirmTimeout=00:00:00", "--Devices:ProfileDir=/does/not/exist"], problems);
        Assert.Null(app);
        Assert.Contains(problems, p => p.Contains("Api:Port"));
        Assert.Contains(problems, p => p.Contains("Api:Bind"));
        Assert.Contains(problems, p => p.Contains("Mqtt:Url"));
        Assert.Contains(problems, p => p.Contains("Commands:ConfirmTimeout"));
        Assert.Contains(problems, p => p.Contains("Devices:ProfileDir"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_problem_not_a_crash()
    {
        var problems = new List<string>();
        Assert.Null(BridgeApp.Create(["--Api:Port=eighty"], problems));
        Assert.Contains(problems, p => p.StartsWith("Api"));
    }

    [Fact]
    public void A_broken_profile_stops_start_up_and_names_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-profiles-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad-lamp.json"), """{"kind":"light","driver":"zigbee","capabilities":{"power":{"type":"enum","values":["off","on"]}}}""");
            var problems = new List<string>();
            Assert.Null(BridgeApp.Create([$"--Devices:ProfileDir={dir}", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={dir}"], problems));
            Assert.Contains(problems, p => p.Contains("bad-lamp") && p.Contains("zigbee"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
