using System.Buffers;
using Bridge.Protocols.Modbus;
using Bridge.Simulator.Cli;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Simulator.Cli;

/// <summary><c>devices --modbus PATH</c> serves the simulated line on a pty until cancelled.</summary>
public sealed class ModbusSimulatorCliTests
{
    [Fact]
    public async Task The_simulated_line_answers_on_the_pty()
    {
        await using var pair = await SocatPair.StartAsync();
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var profiles = Path.Combine(AppContext.BaseDirectory, "configs", "devices");
        var run = DevicesCommand.RunAsync(["--modbus", pair.B, "--profiles", profiles], stdout, new StringWriter(), stop.Token);

        await using var line = new FileStream(pair.A, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        var request = new ArrayBufferWriter<byte>();
        ModbusRtuEncoder.WriteRequest(request, ModbusRequest.ReadInput(3, 0, 1));
        await line.WriteAsync(request.WrittenMemory);
        var received = new ArrayBufferWriter<byte>();
        ModbusResponse? reply = null;
        var read = Task.Run(async () =>
        {
            var buffer = new byte[64];
            while (reply is null)
            {
                var n = await line.ReadAsync(buffer);
                received.Write(buffer.AsSpan(0, n));
                ModbusRtuDecoder.TryDecodeResponse(received.WrittenSpan, out reply, out _, out _);
            }
        });
        await Infrastructure.Wait.ForAsync(read, TimeSpan.FromSeconds(10), "the water heater's reply");
        Assert.Equal(new ushort[] { 480 }, reply!.Values);
        Assert.Contains("Simulator: 3 Modbus slaves on", stdout.ToString());

        await stop.CancelAsync();
        Assert.Equal(0, await Infrastructure.Wait.ForAsync(run, TimeSpan.FromSeconds(10), "the command to stop"));
    }
}
