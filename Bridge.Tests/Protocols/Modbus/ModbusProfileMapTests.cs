using Bridge.Protocols.Model;
using Bridge.Protocols.Modbus;
using Bridge.Service.Drivers;
using Bridge.Service.Drivers.Modbus;
using Bridge.Simulator.Modbus;

namespace Bridge.Tests.Protocols.Modbus;

/// <summary>The shipped register maps: read blocks, scaling, signed values, and how changes become writes.</summary>
public sealed class ModbusProfileMapTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "configs", "devices");

    private static ModbusProfileMap Map(string id, out DeviceProfile profile)
    {
        profile = ModbusDemoSlaves.Load(Dir, id);
        var problems = new List<string>();
        var map = ModbusProfileMap.Parse(profile, problems);
        Assert.Empty(problems);
        return map;
    }

    [Fact]
    public void Each_shipped_map_is_read_in_as_few_requests_as_its_tables_allow()
    {
        Assert.Equal([new ModbusReadBlock(ModbusTable.Holding, 0, 6)], Map("modbus-intesis-ac", out _).ReadBlocks);
        Assert.Equal([new ModbusReadBlock(ModbusTable.Holding, 0, 7)], Map("modbus-coolmasternet-ac", out _).ReadBlocks);
        Assert.Equal([new ModbusReadBlock(ModbusTable.Holding, 0, 2), new ModbusReadBlock(ModbusTable.Input, 0, 1)],
            Map("modbus-water-heater", out _).ReadBlocks);
    }

    [Fact]
    public void Tenths_of_a_degree_and_negative_temperatures()
    {
        var map = Map("modbus-water-heater", out _);
        var water = map.Find("current_temperature")!;
        Assert.Equal(0xFFDD, water.Encode(StateValue.Of(-3.5)));
        Assert.True(water.TryDecode(0xFFDD, out var v));
        Assert.Equal(StateValue.Of(-3.5), v);
        var target = Map("modbus-intesis-ac", out _).Find("target_temperature")!;
        Assert.Equal(235, target.Encode(StateValue.Of(23.5)));
        Assert.False(Map("modbus-intesis-ac", out _).Find("mode")!.TryDecode(9, out _));
    }

    [Fact]
    public void Consecutive_registers_go_in_one_write_and_lone_ones_in_single_writes()
    {
        var map = Map("modbus-intesis-ac", out var profile);
        Change C(string name, StateValue value) => new(profile.Find(name)!, value);
        var together = ModbusWrites.For(map, 1, [C("fan_speed", StateValue.Of("high")), C("power", StateValue.Of("on")), C("mode", StateValue.Of("cool"))]);
        Assert.Equal([ModbusRequest.WriteMultiple(1, 0, [1, 4, 3])], together);
        var apart = ModbusWrites.For(map, 1, [C("power", StateValue.Of("on")), C("target_temperature", StateValue.Of(22))]);
        Assert.Equal([ModbusRequest.WriteSingle(1, 0, 1), ModbusRequest.WriteSingle(1, 4, 220)], apart);
    }
}
