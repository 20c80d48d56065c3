using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Simulator.Modbus;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Drivers.Modbus;

/// <summary>Interoperability with Modbus software nobody here wrote: Debian's pymodbus (3.0) as a
/// master against our simulated slaves, and as a slave that the bridge drives. Over socat ptys,
/// framed 8N2 (Modbus's no-parity framing): Linux ptys refuse pyserial's request for even parity.</summary>
public sealed class PymodbusInteropTests
{
    private const string Client = """
        import json, sys
        from pymodbus.client import ModbusSerialClient
        # strict=False: pyserial can't set an inter-character timeout on a pty.
        c = ModbusSerialClient(port=sys.argv[1], baudrate=9600, parity="N", stopbits=2, bytesize=8, timeout=2, retries=1, strict=False)
        assert c.connect()
        out = {}
        r = c.read_holding_registers(0, 6, slave=1); out["hr"] = r.registers
        r = c.write_register(4, 245, slave=1); out["w"] = [r.address, r.value]
        r = c.write_registers(0, [1, 3], slave=1); out["wm"] = [r.address, r.count]
        r = c.read_holding_registers(0, 6, slave=1); out["hr2"] = r.registers
        r = c.read_input_registers(0, 1, slave=3); out["ir"] = r.registers
        r = c.write_register(5, 300, slave=1); out["ro"] = r.exception_code if r.isError() else None
        r = c.write_register(1, 9, slave=1); out["bad"] = r.exception_code if r.isError() else None
        c.close()
        print(json.dumps(out), flush=True)
        """;

    private const string Server = """
        import sys, threading
        from pymodbus.server import StartSerialServer
        from pymodbus.transaction import ModbusRtuFramer
        from pymodbus.datastore import ModbusSlaveContext, ModbusServerContext, ModbusSequentialDataBlock
        # Intesis layout: on/off, mode (4 cool), fan, vane, set point x10, room x10.
        store = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [0, 4, 0, 0, 240, 265] + [0] * 18),
                                   ir=ModbusSequentialDataBlock(0, [0] * 8), zero_mode=True)
        context = ModbusServerContext(slaves={1: store}, single=False)
        def commands():
            # "set <register> <value>": a change made on the unit itself.
            for line in sys.stdin:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "set":
                    store.setValues(3, int(parts[1]), [int(parts[2])])
                    print("done", flush=True)
        threading.Thread(target=commands, daemon=True).start()
        print("ready", flush=True)
        StartSerialServer(context=context, framer=ModbusRtuFramer, port=sys.argv[1], baudrate=9600, parity="N", stopbits=2, bytesize=8)
        """;

    [Fact]
    public async Task Pymodbus_as_master_reads_and_writes_our_simulated_slaves()
    {
        await using var pair = await SocatPair.StartAsync();
        var slaves = ModbusRig.DefaultSlaves();
        await using var bus = ModbusSlaveBus.OnDevice(pair.B, slaves);
        await using var python = PythonProcess.Start(Client, pair.A);
        var line = await python.ReadLineAsync(TimeSpan.FromSeconds(30));
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        int[] Ints(string name) => r.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(new[] { 0, 4, 0, 0, 260, 275 }, Ints("hr"));   // off, cool, auto, -, 26.0, 27.5 (×10)
        Assert.Equal(new[] { 4, 245 }, Ints("w"));
        Assert.Equal(new[] { 0, 2 }, Ints("wm"));
        Assert.Equal(new[] { 1, 3, 0, 0, 245, 275 }, Ints("hr2"));
        Assert.Equal(new[] { 480 }, Ints("ir"));
        Assert.Equal(2, r.GetProperty("ro").GetInt32());   // read-only room temperature: illegal data address
        Assert.Equal(3, r.GetProperty("bad").GetInt32());  // no mode 9: illegal data value
        Assert.Equal(StateValue.Of("fan"), slaves[0].Get("mode"));
        Assert.Equal(StateValue.Of(24.5), slaves[0].Get("target_temperature"));
        Assert.Equal(0, await python.WaitExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_bridge_drives_a_pymodbus_slave()
    {
        await using var pair = await SocatPair.StartAsync();
        await using var python = PythonProcess.Start(Server, pair.B);
        Assert.Equal("ready", await python.ReadLineAsync(TimeSpan.FromSeconds(30)));
        await using var bridge = await TestBridge.StartAsync(null, false, (Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>?)null,
            $"--Serial:Ports:0:Path={pair.A}", "--Serial:Ports:0:Parity=none", "--Serial:Ports:0:StopBits=2", "--Serial:Ports:0:Devices:0:Id=ac-1", "--Serial:Ports:0:Devices:0:SlaveId=1",
            "--Serial:Ports:0:Devices:0:Profile=modbus-intesis-ac", "--Serial:Ports:0:Devices:0:PollSeconds=0.3");
        await using var client = await bridge.ConnectAsync();
        JsonAssert.Ok(await client.RequestAsync(new { op = "subscribe" }));
        await Infrastructure.Wait.UntilAsync(async () =>
            (await client.RequestAsync(new { op = "get", device = "ac-1" })).GetProperty("device").GetProperty("online").GetBoolean(),
            TimeSpan.FromSeconds(15), "ac-1 online through pymodbus");

        var reply = await client.RequestAsync(new { op = "set", device = "ac-1", state = new { power = "on", mode = "heat", fan_speed = "high", target_temperature = 22.5 } });
        JsonAssert.Ok(reply);
        var state = reply.GetProperty("state");
        Assert.Equal("on", state.GetProperty("power").GetString());
        Assert.Equal("heat", state.GetProperty("mode").GetString());
        Assert.Equal("high", state.GetProperty("fan_speed").GetString());
        Assert.Equal(22.5, state.GetProperty("target_temperature").GetDouble());
        Assert.Equal(26.5, state.GetProperty("current_temperature").GetDouble());

        await python.WriteLineAsync("set 5 281");
        Assert.Equal("done", await python.ReadLineAsync(TimeSpan.FromSeconds(10)));
        await client.WaitStateEventAsync("ac-1", s => s.GetProperty("current_temperature").GetDouble() == 28.1);
    }
}
