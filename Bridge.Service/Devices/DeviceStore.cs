using System.Buffers;
using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Data;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Devices;

/// <summary>Known devices and their last state in <c>Data:Dir/devices.json</c>, written crash-safely.</summary>
public sealed class DeviceStore(IOptions<DataOptions> data, ProfileCatalog profiles, ILogger<DeviceStore> log)
{
    public const string FileName = "devices.json";

    private string PathName => Path.Combine(data.Value.Dir, FileName);

    public IReadOnlyList<Device> Load()
    {
        var devices = new List<Device>();
        if (!File.Exists(PathName)) return devices;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(PathName));
            foreach (var d in doc.RootElement.GetProperty("devices").EnumerateArray())
            {
                var id = d.GetProperty("id").GetString()!;
                var profileId = d.GetProperty("profile").GetString()!;
                if (profiles.Find(profileId) is not { } profile)
                {
                    log.LogWarning("Saved device {DeviceId} uses profile {Profile}, which no longer exists; skipped", id, profileId);
                    continue;
                }
                var binding = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var b in d.GetProperty("binding").EnumerateObject())
                    if (b.Value.ValueKind == JsonValueKind.String) binding[b.Name] = b.Value.GetString()!;
                var device = new Device(id, d.GetProperty("name").GetString() ?? id, profile, binding);
                foreach (var s in d.GetProperty("state").EnumerateObject())
                    if (profile.Find(s.Name) is not null && StateValue.TryRead(s.Value, out var v)) device.MutableState[s.Name] = v;
                devices.Add(device);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            // The file is only ever replaced whole, so this is damage from outside; keep it for a person to look at.
            var aside = PathName + ".damaged";
            File.Copy(PathName, aside, overwrite: true);
            log.LogError("{File} could not be read ({Reason}); starting without saved devices, copy kept as {Aside}", PathName, e.Message, aside);
        }
        return devices;
    }

    public void Save(IReadOnlyList<Device> devices)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteStartArray("devices");
            foreach (var device in devices)
            {
                var view = device.View();
                w.WriteStartObject();
                w.WriteString("id", view.Id);
                w.WriteString("name", view.Name);
                w.WriteString("profile", device.Profile.Id);
                w.WriteStartObject("binding");
                foreach (var (k, v) in device.Binding) w.WriteString(k, v);
                w.WriteEndObject();
                w.WritePropertyName("state");
                ApiWriter.State(w, view.State);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        SecureFile.WriteAtomically(PathName, buffer.WrittenSpan, ownerOnly: true);
    }
}
