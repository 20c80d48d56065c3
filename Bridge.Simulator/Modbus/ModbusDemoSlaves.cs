using Bridge.Protocols.Model;

namespace Bridge.Simulator.Modbus;

/// <summary>The simulated Modbus line of the docs and tests: an Intesis AC (slave 1), a
/// CoolMasterNet AC (slave 2) and a water heater (slave 3), with their shipped register maps.</summary>
public static class ModbusDemoSlaves
{
    public static ModbusSlave[] Create(string profileDir) =>
    [
        new(1, Load(profileDir, "modbus-intesis-ac"), new Dictionary<string, StateValue>
        {
            ["power"] = StateValue.Of("off"), ["mode"] = StateValue.Of("cool"), ["fan_speed"] = StateValue.Of("auto"),
            ["target_temperature"] = StateValue.Of(26), ["current_temperature"] = StateValue.Of(27.5),
        }),
        new(2, Load(profileDir, "modbus-coolmasternet-ac"), new Dictionary<string, StateValue>
        {
            ["power"] = StateValue.Of("on"), ["mode"] = StateValue.Of("heat"), ["fan_speed"] = StateValue.Of("low"),
            ["target_temperature"] = StateValue.Of(21), ["current_temperature"] = StateValue.Of(19.5),
        }),
        new(3, Load(profileDir, "modbus-water-heater"), new Dictionary<string, StateValue>
        {
            ["power"] = StateValue.Of("on"), ["target_temperature"] = StateValue.Of(50), ["current_temperature"] = StateValue.Of(48),
        }),
    ];

    public static DeviceProfile Load(string profileDir, string id)
    {
        var problems = new List<string>();
        var file = Path.Combine(profileDir, id + ".json");
        return DeviceProfileReader.Read(id, File.ReadAllBytes(file), problems) ?? throw new InvalidDataException(string.Join("; ", problems));
    }
}
