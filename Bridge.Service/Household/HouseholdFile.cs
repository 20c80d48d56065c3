using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Bridge.Service.Devices;

namespace Bridge.Service.Household;

/// <summary>The household's file format (<c>household.json</c>): names and rooms, scenes, timers
/// with the last due time each has handled. Read with the same parsers the API uses, so the file
/// can hold nothing the API would refuse.</summary>
public static class HouseholdFile
{
    public const string FileName = "household.json";
    private const int Version = 1;

    public static byte[] Write(HouseholdSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteStartObject("devices");
            foreach (var (id, label) in snapshot.Labels)
            {
                w.WriteStartObject(id);
                if (label.Name is not null) w.WriteString("name", label.Name);
                if (label.Room is not null) w.WriteString("room", label.Room);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("scenes");
            foreach (var scene in snapshot.Scenes.Values) HouseholdWriter.Scene(w, scene);
            w.WriteEndArray();
            w.WriteStartArray("timers");
            foreach (var timer in snapshot.Timers.Values) HouseholdWriter.Timer(w, timer, null, withNext: false, withSince: true);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a file written by <see cref="Write"/>; false with the reason when it is damaged.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> content, out HouseholdSnapshot snapshot, out string reason)
    {
        snapshot = HouseholdSnapshot.Empty;
        reason = "";
        try
        {
            using var doc = JsonDocument.Parse(content);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail("it is not a JSON object", out reason);
            if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != Version)
                return Fail($"'version' is not {Version}", out reason);
            var labels = snapshot.Labels.ToBuilder();
            foreach (var d in Member(root, "devices", JsonValueKind.Object).EnumerateObject())
            {
                if (!HouseholdText.TryName(d.Value, "name", out var name, out var e1) || !HouseholdText.TryName(d.Value, "room", out var room, out e1))
                    return Fail($"device '{d.Name}': {e1!.Message}", out reason);
                labels[d.Name] = new DeviceLabel(name, room);
            }
            var scenes = snapshot.Scenes.ToBuilder();
            foreach (var s in Member(root, "scenes", JsonValueKind.Array).EnumerateArray())
            {
                if (!HouseholdParser.TryScene(s, out var scene, out var e2)) return Fail($"a scene: {e2!.Message}", out reason);
                if (!scenes.TryAdd(scene.Id, scene)) return Fail($"scene '{scene.Id}' appears twice", out reason);
            }
            var timers = snapshot.Timers.ToBuilder();
            foreach (var t in Member(root, "timers", JsonValueKind.Array).EnumerateArray())
            {
                if (!t.TryGetProperty("since", out var sinceJson) || sinceJson.ValueKind != JsonValueKind.String ||
                    !DateTimeOffset.TryParse(sinceJson.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                    return Fail("a timer has no valid 'since' (the last due time it handled)", out reason);
                if (!HouseholdParser.TryTimer(t, since, out var timer, out var e3)) return Fail($"a timer: {e3!.Message}", out reason);
                if (timer.Scene is not null && !scenes.ContainsKey(timer.Scene)) return Fail($"timer '{timer.Id}' runs scene '{timer.Scene}', which is not in the file", out reason);
                if (!timers.TryAdd(timer.Id, timer)) return Fail($"timer '{timer.Id}' appears twice", out reason);
            }
            snapshot = new HouseholdSnapshot(labels.ToImmutable(), scenes.ToImmutable(), timers.ToImmutable());
            return true;
        }
        catch (JsonException e)
        {
            return Fail("it is not valid JSON (" + e.Message + ")", out reason);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return Fail(e.Message, out reason);
        }
    }

    private static JsonElement Member(JsonElement root, string name, JsonValueKind kind)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != kind)
            throw new FormatException($"'{name}' is missing or not an {(kind == JsonValueKind.Array ? "array" : "object")}");
        return value;
    }

    private static bool Fail(string why, out string reason)
    {
        reason = why;
        return false;
    }
}
