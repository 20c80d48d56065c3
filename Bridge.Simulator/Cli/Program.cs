using System.Runtime.InteropServices;
using Bridge.Simulator.Cli;
using Bridge.Simulator.LoadGen;

// Thin entry point: `devices ...` runs simulated devices, `loadgen ...` a crowd of simulated users.
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    cts.Cancel();
});

return args.FirstOrDefault() switch
{
    "devices" => await DevicesCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token),
    "loadgen" => await LoadGenCommand.RunAsync(args[1..], cts.Token),
    "softap" => await SoftApCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bridge.Simulator devices [--mqtt mqtt://127.0.0.1:1883] [--scenario FILE | --lamps N]");
    Console.Error.WriteLine("       Bridge.Simulator loadgen ...");
    Console.Error.WriteLine("       Bridge.Simulator " + SoftApCommand.Usage[7..]);
    return 2;
}
