using Bridge.Simulator;

namespace Bridge.Tests.Simulator;

/// <summary>Waits for a simulated device's <see cref="SimulatedDevice.CommandReceived"/> event.</summary>
public static class DeviceEvents
{
    /// <summary>Starts listening now; the task completes when <paramref name="command"/> arrives (case-insensitive).</summary>
    public static Task<string> NextCommand(SimulatedDevice device, string command)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(string name)
        {
            if (!string.Equals(name, command, StringComparison.OrdinalIgnoreCase)) return;
            device.CommandReceived -= Handler;
            done.TrySetResult(name);
        }
        device.CommandReceived += Handler;
        return done.Task.WaitAsync(MqttObserver.DefaultTimeout);
    }
}
