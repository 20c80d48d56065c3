using Bridge.Protocols.Model;

namespace Bridge.Benchmarks;

/// <summary>Shared inputs: the shipped profile and typical frames and payloads.</summary>
internal static class Fixtures
{
    public const string ProfileId = "tasmota-ct-light";

    /// <summary>A typical <c>set</c> frame as a mini-program sends it.</summary>
    public static readonly byte[] SetFrame =
        """{"id":"42","op":"set","device":"lamp-17","state":{"power":"on","brightness":80}}"""u8.ToArray();

    /// <summary>What a CT light publishes on <c>stat/&lt;t&gt;/RESULT</c> after such a command.</summary>
    public static readonly byte[] TasmotaResult = """{"POWER":"ON","Dimmer":80,"CT":370}"""u8.ToArray();

    /// <summary>A CT light's retained <c>tasmota/discovery/&lt;MAC&gt;/config</c>, laid out as the
    /// firmware does (8 relay slots, SetOptions, light subtype 2).</summary>
    public static readonly byte[] TasmotaDiscovery =
        """
        {"ip":"192.168.1.57","dn":"Hallway Lamp","fn":["Hallway Lamp",null,null,null,null,null,null,null],"hn":"lamp-17-4521","mac":"A4CF12B3C4D5","md":"Generic","ty":0,"if":0,"ofln":"Offline","onln":"Online","state":["OFF","ON","TOGGLE","HOLD"],"sw":"14.3.0","t":"lamp-17","ft":"%prefix%/%topic%/","tp":["cmnd","stat","tele"],"rl":[2,0,0,0,0,0,0,0],"swc":[-1,-1,-1,-1,-1,-1,-1,-1],"swn":[null,null,null,null,null,null,null,null],"btn":[0,0,0,0,0,0,0,0],"so":{"4":0,"11":0,"13":0,"17":0,"20":0,"30":0,"68":0,"73":0,"82":0,"114":0,"117":0},"lk":1,"lt_st":2,"bat":0,"dslp":0,"sho":[],"sht":[],"ver":1}
        """u8.ToArray();

    private static DeviceProfile? _profile;

    /// <summary><c>configs/devices/tasmota-ct-light.json</c>, read with the bridge's own reader.</summary>
    public static DeviceProfile Profile => _profile ??= LoadProfile();

    private static DeviceProfile LoadProfile()
    {
        var path = FindProfileFile(ProfileId + ".json");
        var problems = new List<string>();
        return DeviceProfileReader.Read(ProfileId, File.ReadAllBytes(path), problems)
            ?? throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}");
    }

    /// <summary>The copy beside the benchmark, else the repository's <c>configs/devices</c> found
    /// by walking up from the base directory (BenchmarkDotNet runs a generated build elsewhere).</summary>
    private static string FindProfileFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "configs", "devices", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"configs/devices/{name} not found beside or above {AppContext.BaseDirectory}");
    }

    public static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("benchmark setup: " + what);
    }
}
