using Bridge.Service.Hosting;

namespace Bridge.Tests.Service.Serial;

/// <summary>Bad serial configuration stops start-up with problems that name the key.</summary>
public sealed class SerialOptionsTests
{
    [Fact]
    public void Every_bad_serial_setting_is_reported_with_its_key()
    {
        var problems = new List<string>();
        var app = BridgeApp.Create([
            "--Api:Port=0", "--Mqtt:Port=0",
            "--Serial:Ports:0:Path=/dev/ttyUSB0", "--Serial:Ports:0:Parity=mark", "--Serial:Ports:0:StopBits=3", "--Serial:Ports:0:Baud=12",
            "--Serial:Ports:0:Devices:0:Id=ac-1", "--Serial:Ports:0:Devices:0:SlaveId=300", "--Serial:Ports:0:Devices:0:Profile=nope",
            "--Serial:Ports:0:Devices:1:Id=ac-1", "--Serial:Ports:0:Devices:1:SlaveId=2", "--Serial:Ports:0:Devices:1:Profile=tasmota-relay-plug",
            "--Serial:Ports:0:Devices:2:Id=ac-3", "--Serial:Ports:0:Devices:2:SlaveId=2", "--Serial:Ports:0:Devices:2:Profile=modbus-intesis-ac",
            "--Serial:Ports:1:Baud=9600",
        ], problems);
        Assert.Null(app);
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Parity"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:StopBits"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Baud"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Devices:0:SlaveId"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Devices:0:Profile") && p.Contains("nope"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Devices:1:Id") && p.Contains("ac-1"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Devices:1:Profile") && p.Contains("not a modbus"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:0:Devices:2:SlaveId") && p.Contains("already used"));
        Assert.Contains(problems, p => p.StartsWith("Serial:Ports:1:Path"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key()
    {
        var problems = new List<string>();
        Assert.Null(BridgeApp.Create(["--Api:Port=0", "--Mqtt:Port=0", "--Serial:Ports:0:Path=/dev/ttyS0", "--Serial:Ports:0:Baud=fast"], problems));
        Assert.Contains(problems, p => p.Contains("Serial:Ports:0:Baud"));
    }

    [Fact]
    public void A_broken_register_map_is_a_start_up_error()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-profiles-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad-ac.json"), """
                {"kind":"air_conditioner","driver":"modbus",
                 "capabilities":{"mode":{"type":"enum","values":["cool","heat"]},
                                 "target_temperature":{"type":"number","min":16,"max":30},
                                 "current_temperature":{"type":"number","read_only":true}},
                 "modbus":{"mode":{"register":1,"values":{"cool":0}},
                           "target_temperature":{"register":1,"scale":10000},
                           "current_temperature":{"table":"coils","register":5}}}
                """);
            var problems = new List<string>();
            Assert.Null(BridgeApp.Create([$"--Devices:ProfileDir={dir}", "--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={dir}"], problems));
            Assert.Contains(problems, p => p.Contains("bad-ac") && p.Contains("'values' has no entry for 'heat'"));
            Assert.Contains(problems, p => p.Contains("bad-ac") && p.Contains("does not fit"));
            Assert.Contains(problems, p => p.Contains("bad-ac") && p.Contains("'table'"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
