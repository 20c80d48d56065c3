using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Service.Household;
using FsCheck;
using FsCheck.Fluent;

namespace Bridge.Tests.Service.Household;

/// <summary>Random input for the household ops' parsers: nothing makes them throw, whatever they
/// accept keeps the rules, and what they accept is written and read back unchanged.</summary>
public sealed partial class HouseholdPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly string[] Keys = ["id", "name", "actions", "device", "state", "scene", "at", "days", "enabled", "power", "x"];

    private static readonly Gen<string> Texts = Gen.OneOf(
        Gen.Elements("", "a", "lamp-1", "06:30", "25:61", "mon", "sun", "on", "<script>", "客厅", "\u0007", "\ud800", "a b", "x.y_z"),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
        Gen.Choose(60, 70).Select(n => new string('n', n)));

    private static Gen<JsonValueWriter> Values(int depth) => depth <= 0
        ? Gen.OneOf(
            Texts.Select(s => new JsonValueWriter(w => w.WriteStringValue(s))),
            Gen.Choose(-5, 100).Select(i => new JsonValueWriter(w => w.WriteNumberValue(i))),
            Gen.Elements(new JsonValueWriter(w => w.WriteBooleanValue(true)), new JsonValueWriter(w => w.WriteNullValue())))
        : Gen.OneOf(
            Values(0),
            Gen.ListOf(Values(depth - 1)).Select(items => new JsonValueWriter(w =>
            {
                w.WriteStartArray();
                foreach (var i in items.Take(6)) i.Write(w);
                w.WriteEndArray();
            })),
            Objects(depth - 1));

    private static Gen<JsonValueWriter> Objects(int depth) =>
        Gen.ListOf(Gen.Elements(Keys).SelectMany(k => Values(depth).Select(v => (k, v)))).Select(members => new JsonValueWriter(w =>
        {
            w.WriteStartObject();
            foreach (var (k, v) in members.Take(8))
            {
                w.WritePropertyName(k);
                v.Write(w);
            }
            w.WriteEndObject();
        }));

    public sealed record JsonValueWriter(Action<Utf8JsonWriter> Write)
    {
        public JsonElement ToElement()
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                Write(w);
            return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
        }
    }

    [Fact]
    public void Random_scenes_and_timers_never_throw_and_what_is_accepted_keeps_the_rules() =>
        Prop.ForAll(Objects(3).ToArbitrary(), writer =>
        {
            var json = writer.ToElement();
            if (HouseholdParser.TryScene(json, out var scene, out var error))
            {
                Assert.Null(error);
                Assert.Null(HouseholdText.CheckId("id", scene.Id));
                Assert.Null(HouseholdText.CheckName("name", scene.Name) is { } e && scene.Name != scene.Id ? e : null);
                Assert.InRange(scene.Actions.Count, 1, HouseholdParser.MaxActions);
                Assert.Equal(scene.Actions.Count, scene.Actions.Select(a => a.Device).Distinct().Count());
                Assert.All(scene.Actions, a => Assert.Equal(JsonValueKind.Object, a.State.ValueKind));
            }
            else
            {
                Assert.Contains(error!.Code, new[] { "bad_request", "invalid_value" });
            }
            if (HouseholdParser.TryTimer(json, Now, out var timer, out error))
            {
                Assert.False(timer.Days.IsEmpty);
                Assert.True(timer.Scene is null != timer.Actions is null);
            }
            else
            {
                Assert.Contains(error!.Code, new[] { "bad_request", "invalid_value" });
            }
        }).QuickCheckThrowOnFailure();

    private static readonly Gen<string> Ids = Gen.Choose(1, 20).SelectMany(n =>
        Gen.ArrayOf(Gen.Elements("abcxyz019-_.台灯".ToCharArray()), n).Select(c => new string(c)));

    private static readonly Gen<string> Names = Gen.Choose(1, 64).SelectMany(n =>
        Gen.ArrayOf(Gen.Elements("ab <>&\"'\\/客厅台灯😀".ToCharArray().Where(c => !char.IsSurrogate(c)).ToArray()), n)
            .Select(c => new string(c)).Where(s => !string.IsNullOrWhiteSpace(s)));

    private static readonly Gen<Scene> Scenes =
        from id in Ids
        from name in Names
        from devices in Gen.Choose(1, 30).SelectMany(n => Gen.ArrayOf(Ids, n))
        from power in Gen.Elements("on", "off")
        let distinct = devices.Distinct().ToArray()
        select new Scene(id, name, distinct.Select(d => new SceneAction(d, JsonDocument.Parse($$"""{"power":"{{power}}"}""").RootElement.Clone())).ToArray());

    [Fact]
    public void Valid_scenes_survive_the_file_and_the_api_shape() =>
        Prop.ForAll(Scenes.ToArbitrary(), scene =>
        {
            var snapshot = HouseholdSnapshot.Empty with { Scenes = HouseholdSnapshot.Empty.Scenes.Add(scene.Id, scene) };
            Assert.True(HouseholdFile.TryRead(HouseholdFile.Write(snapshot), out var back, out var reason), reason);
            var read = back.Scenes[scene.Id];
            Assert.Equal(scene.Name, read.Name);
            Assert.Equal(scene.Actions.Select(a => a.Device), read.Actions.Select(a => a.Device));
            Assert.All(scene.Actions.Zip(read.Actions), p => Assert.True(JsonElement.DeepEquals(p.First.State, p.Second.State)));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Time_of_day_accepts_exactly_HH_mm() =>
        Prop.ForAll(Gen.OneOf(Texts, Gen.Choose(0, 99).SelectMany(h => Gen.Choose(0, 99).Select(m => $"{h:00}:{m:00}"))).ToArbitrary(), text =>
        {
            var accepted = HouseholdParser.TryTimeOfDay(text, out var at);
            Assert.Equal(TimeOfDay().IsMatch(text), accepted);
            if (accepted) Assert.Equal(text, at.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        }).QuickCheckThrowOnFailure();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]\z")]
    private static partial Regex TimeOfDay();
}
