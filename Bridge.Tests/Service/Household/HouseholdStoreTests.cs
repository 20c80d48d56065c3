using Bridge.Service.Data;
using Bridge.Service.Devices;
using Bridge.Service.Household;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Service.Household;

/// <summary>The household file: what is saved is what comes back, a refused change leaves the
/// file as it was, concurrent saves never mix, and a damaged file stops start-up.</summary>
public sealed class HouseholdStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("household-store-").FullName;

    private HouseholdStore NewStore(List<string>? problems = null)
    {
        var store = new HouseholdStore(Options.Create(new DataOptions { Dir = _dir }), NullLogger<HouseholdStore>.Instance);
        store.Load(problems ?? []);
        return store;
    }

    private static Scene SceneOf(string id, string name, params string[] devices) =>
        new(id, name, devices.Select(d => new SceneAction(d, System.Text.Json.JsonDocument.Parse("""{"power":"off"}""").RootElement.Clone())).ToArray());

    [Fact]
    public void What_is_saved_comes_back_after_a_restart()
    {
        var store = NewStore();
        Assert.Null(store.Change(s => (s with
        {
            Labels = s.Labels.SetItem("lamp-1", new DeviceLabel("客厅台灯", "客厅")),
            Scenes = s.Scenes.SetItem("leave-home", SceneOf("leave-home", "离家", "lamp-1", "ac-1")),
        }, null)));
        var problems = new List<string>();
        var again = NewStore(problems);
        Assert.Empty(problems);
        Assert.Equal(new DeviceLabel("客厅台灯", "客厅"), again.Current.Labels["lamp-1"]);
        Assert.Equal(["lamp-1", "ac-1"], again.Current.Scenes["leave-home"].Actions.Select(a => a.Device));
        Assert.True(again.TryGet("lamp-1", out var label));
        Assert.Equal("客厅台灯", label.Name);
    }

    [Fact]
    public void A_refused_change_leaves_memory_and_file_as_they_were()
    {
        var store = NewStore();
        Assert.Null(store.Change(s => (s with { Scenes = s.Scenes.SetItem("a", SceneOf("a", "A", "lamp-1")) }, null)));
        var before = File.ReadAllBytes(store.PathName);
        var error = store.Change(_ => (null, new HouseholdError("bad_request", "no")));
        Assert.Equal("bad_request", error!.Code);
        Assert.Equal(before, File.ReadAllBytes(store.PathName));
        Assert.Single(store.Current.Scenes);
    }

    [Fact]
    public void A_change_that_cannot_be_written_changes_nothing()
    {
        var store = NewStore();
        Assert.Null(store.Change(s => (s with { Scenes = s.Scenes.SetItem("a", SceneOf("a", "A", "lamp-1")) }, null)));
        // A directory where the file's temporary copy would go makes the write fail.
        var blocker = Path.Combine(_dir, "." + HouseholdFile.FileName + "." + Environment.ProcessId + ".tmp");
        Directory.CreateDirectory(blocker);
        try
        {
            var error = store.Change(s => (s with { Scenes = s.Scenes.SetItem("b", SceneOf("b", "B", "lamp-1")) }, null));
            Assert.Equal("internal", error!.Code);
            Assert.Equal(["a"], store.Current.Scenes.Keys);
            Assert.Equal(["a"], NewStore().Current.Scenes.Keys);
        }
        finally
        {
            Directory.Delete(blocker);
        }
    }

    [Fact]
    public async Task Saves_of_one_id_at_once_never_mix()
    {
        var store = NewStore();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                var scene = SceneOf("same", $"writer {w} save {i}", Enumerable.Range(0, w + 1).Select(d => $"dev-{w}-{d}").ToArray());
                Assert.Null(store.Change(s => (s with { Scenes = s.Scenes.SetItem("same", scene) }, null)));
            }
        })).ToArray();
        await Task.WhenAll(writers);
        var kept = store.Current.Scenes["same"];
        var writer = kept.Name.Split(' ')[1];
        // Name and actions belong to one save, never half of one and half of another.
        Assert.All(kept.Actions, a => Assert.StartsWith($"dev-{writer}-", a.Device));
        Assert.Equal(int.Parse(writer) + 1, kept.Actions.Count);
        var onDisk = NewStore().Current.Scenes["same"];
        Assert.Equal(kept.Name, onDisk.Name);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("""{"version":1,"devices":{},"scenes":[{"id":"x"}],"timers":[]}""")]
    [InlineData("""{"version":1,"devices":{},"scenes":[],"timers":[{"id":"t","at":"25:61","scene":"s","since":"2026-01-01T00:00:00Z"}]}""")]
    [InlineData("""{"version":1,"devices":{},"scenes":[],"timers":[{"id":"t","at":"06:30","scene":"gone","since":"2026-01-01T00:00:00Z"}]}""")]
    [InlineData("""{"version":2,"devices":{},"scenes":[],"timers":[]}""")]
    [InlineData("""{"version":1,"scenes":[],"timers":[]}""")]
    public void A_damaged_file_is_a_start_up_problem_and_stays_untouched(string content)
    {
        var path = Path.Combine(_dir, HouseholdFile.FileName);
        File.WriteAllText(path, content);
        var problems = new List<string>();
        var store = NewStore(problems);
        var problem = Assert.Single(problems);
        Assert.Contains(path, problem);
        Assert.Contains("damaged", problem);
        Assert.Contains("timers", problem);
        Assert.Equal(content, File.ReadAllText(path));
        Assert.Empty(store.Current.Timers);
    }

    [Fact]
    public void No_file_is_an_empty_household()
    {
        var problems = new List<string>();
        var store = NewStore(problems);
        Assert.Empty(problems);
        Assert.Empty(store.Current.Scenes);
        Assert.False(File.Exists(store.PathName));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
