using System.Diagnostics;

namespace Bridge.Simulator.LoadGen;

/// <summary>
/// <c>loadgen</c>: a crowd of simulated mini-program users sending power <c>set</c> commands to the
/// bridge's local API and measuring send-to-confirmation latency. See <see cref="LoadGenOptionsParser.Usage"/>.
/// </summary>
public static class LoadGenCommand
{
    private static readonly byte[] DevicesRequest = """{"id":"d","op":"devices"}"""u8.ToArray();

    public static Task<int> RunAsync(string[] args, CancellationToken ct) =>
        RunAsync(args, Console.Out, Console.Error, ct);

    /// <summary>Same, writing the result line to <paramref name="stdout"/> and diagnostics to <paramref name="stderr"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        LoadGenParseResult parsed = LoadGenOptionsParser.Parse(args);
        if (parsed.HelpRequested)
        {
            await stdout.WriteLineAsync(LoadGenOptionsParser.Usage).ConfigureAwait(false);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            await stderr.WriteLineAsync($"loadgen: {parsed.Error}{Environment.NewLine}{LoadGenOptionsParser.Usage}").ConfigureAwait(false);
            return 2;
        }

        try
        {
            return options.Scene
                ? await RunSceneAsync(options, stdout, stderr, ct).ConfigureAwait(false)
                : await RunLoadAsync(options, stdout, stderr, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("loadgen: cancelled").ConfigureAwait(false);
            return 130;
        }
    }

    private static async Task<int> RunLoadAsync(LoadGenOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        LoadGenConnection[]? connections = await ConnectAllAsync(options, options.Connections, stderr, ct).ConfigureAwait(false);
        if (connections is null)
        {
            return 1;
        }

        using var stopWatchdog = new CancellationTokenSource();
        Task? watchdog = null;
        try
        {
            // Pings need no devices: the bridge answers them itself.
            IReadOnlyList<DeviceTarget>? targets = options.Ping ? [] : await DiscoverAsync(connections[0], options, stderr, ct).ConfigureAwait(false);
            if (targets is null)
            {
                return 1;
            }

            DevicePool? pool = options.Ping ? null : new DevicePool(targets, options.PerDevice);
            // Spread the in-flight slots evenly over the connections.
            for (int j = 0; j < connections.Length; j++)
            {
                connections[j].StartReceiving(options.InFlight / connections.Length + (j < options.InFlight % connections.Length ? 1 : 0));
            }

            watchdog = WatchdogAsync(connections, options.CommandTimeout, stopWatchdog.Token);

            var warmupErrors = new ErrorTally();
            if (options.Warmup > 0)
            {
                await RunPhaseAsync(connections, pool, options.Warmup, null, warmupErrors, ct).ConfigureAwait(false);
            }

            var latencies = new LatencyHistogram();
            var errors = new ErrorTally();
            long start = Stopwatch.GetTimestamp();
            await RunPhaseAsync(connections, pool, options.Count, latencies, errors, ct).ConfigureAwait(false);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;

            long shortfall = options.Count - latencies.Count - errors.Total;
            errors.Add(ErrorTally.NotSent, shortfall);

            var result = LoadGenResult.From(options, pool?.Count ?? 0, latencies, errors, warmupErrors.Total, elapsed);
            await stdout.WriteLineAsync(result.ToJson()).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (shortfall > 0)
            {
                await stderr.WriteLineAsync($"loadgen: every connection was lost; {shortfall} commands were not sent").ConfigureAwait(false);
                return 1;
            }

            return 0;
        }
        finally
        {
            await stopWatchdog.CancelAsync().ConfigureAwait(false);
            if (watchdog is not null)
            {
                await watchdog.ConfigureAwait(false);
            }

            foreach (LoadGenConnection connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunSceneAsync(LoadGenOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        LoadGenConnection[]? connections = await ConnectAllAsync(options, 1, stderr, ct).ConfigureAwait(false);
        if (connections is null)
        {
            return 1;
        }

        LoadGenConnection connection = connections[0];
        using var stopWatchdog = new CancellationTokenSource();
        Task? watchdog = null;
        try
        {
            IReadOnlyList<DeviceTarget>? targets = await DiscoverAsync(connection, options, stderr, ct).ConfigureAwait(false);
            if (targets is null)
            {
                return 1;
            }

            var pool = new DevicePool(targets);
            connection.StartReceiving(pool.Count);
            watchdog = WatchdogAsync(connections, options.CommandTimeout, stopWatchdog.Token);

            long start = Stopwatch.GetTimestamp();
            var replies = new Task<CommandReply>[pool.Count];
            for (int i = 0; i < pool.Count; i++)
            {
                replies[i] = connection.SendSetAsync(i, pool.EncodedId(i), pool.NextPowerOn(i), ct).AsTask();
            }

            await Task.WhenAll(replies).ConfigureAwait(false);
            long lastReply = start;
            var errors = new ErrorTally();
            foreach (Task<CommandReply> task in replies)
            {
                CommandReply reply = task.Result;
                lastReply = Math.Max(lastReply, reply.ReceivedTimestamp);
                if (!reply.Ok)
                {
                    errors.Add(reply.ErrorCode ?? ErrorTally.Unknown);
                }
            }

            var result = new SceneResult(pool.Count, Ticks.ToMicroseconds(lastReply - start), errors.Total, errors.Snapshot());
            await stdout.WriteLineAsync(result.ToJson()).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            await stopWatchdog.CancelAsync().ConfigureAwait(false);
            if (watchdog is not null)
            {
                await watchdog.ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Opens <paramref name="count"/> connections; null (after saying why) if any fails.</summary>
    private static async Task<LoadGenConnection[]?> ConnectAllAsync(
        LoadGenOptions options, int count, TextWriter stderr, CancellationToken ct)
    {
        var attempts = new Task<LoadGenConnection>[count];
        for (int i = 0; i < count; i++)
        {
            attempts[i] = LoadGenConnection.ConnectAsync(i, options.Url, options.Token, options.ConnectTimeout, ct);
        }

        try
        {
            await Task.WhenAll(attempts).ConfigureAwait(false);
            return attempts.Select(t => t.Result).ToArray();
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            Exception? first = attempts.Select(t => t.Exception?.GetBaseException()).FirstOrDefault(e => e is not null);
            await stderr.WriteLineAsync($"loadgen: cannot connect to {options.Url}: {first?.Message}").ConfigureAwait(false);
            foreach (Task<LoadGenConnection> attempt in attempts.Where(t => t.IsCompletedSuccessfully))
            {
                await attempt.Result.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
    }

    /// <summary>Asks for the devices and picks the targets; null (after saying why) if there are none.</summary>
    private static async Task<IReadOnlyList<DeviceTarget>?> DiscoverAsync(
        LoadGenConnection connection, LoadGenOptions options, TextWriter stderr, CancellationToken ct)
    {
        IReadOnlyList<DeviceTarget> targets;
        try
        {
            byte[] reply = await connection.RequestAsync(DevicesRequest, "d", options.ConnectTimeout, ct).ConfigureAwait(false);
            targets = DeviceTargets.Select(reply, options.Devices, out IReadOnlyList<string> warnings);
            foreach (string warning in warnings)
            {
                await stderr.WriteLineAsync($"loadgen: warning: {warning}").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"loadgen: cannot list devices: {e.Message}").ConfigureAwait(false);
            return null;
        }

        if (targets.Count == 0)
        {
            await stderr.WriteLineAsync("loadgen: no online device with a power capability to command").ConfigureAwait(false);
            return null;
        }

        return targets;
    }

    /// <summary>Sends <paramref name="total"/> commands from every slot of every connection and waits for all replies.</summary>
    private static Task RunPhaseAsync(
        LoadGenConnection[] connections, DevicePool? pool, long total, LatencyHistogram? latencies, ErrorTally errors, CancellationToken ct)
    {
        var phase = new PhaseCounter(total);
        var loops = new List<Task>();
        foreach (LoadGenConnection connection in connections)
        {
            for (int slot = 0; slot < connection.SlotCount; slot++)
            {
                int s = slot;
                loops.Add(Task.Run(() => SlotLoopAsync(connection, s, phase, pool, latencies, errors, ct), ct));
            }
        }

        return Task.WhenAll(loops);
    }

    private static async Task SlotLoopAsync(
        LoadGenConnection connection, int slot, PhaseCounter phase, DevicePool? pool,
        LatencyHistogram? latencies, ErrorTally errors, CancellationToken ct)
    {
        while (!connection.IsClosed && phase.TryTake())
        {
            CommandReply reply = pool is null
                ? await connection.SendPingAsync(slot, ct).ConfigureAwait(false)
                : await SendSetAsync(connection, slot, pool, ct).ConfigureAwait(false);

            if (reply.Ok)
            {
                latencies?.Record(reply.LatencyMicroseconds);
            }
            else
            {
                errors.Add(reply.ErrorCode ?? ErrorTally.Unknown);
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    private static async ValueTask<CommandReply> SendSetAsync(LoadGenConnection connection, int slot, DevicePool pool, CancellationToken ct)
    {
        int device = await pool.RentAsync(ct).ConfigureAwait(false);
        try
        {
            bool powerOn = pool.NextPowerOn(device);
            return await connection.SendSetAsync(slot, pool.EncodedId(device), powerOn, ct).ConfigureAwait(false);
        }
        finally
        {
            pool.Return(device);
        }
    }

    private static async Task WatchdogAsync(IReadOnlyList<LoadGenConnection> connections, TimeSpan timeout, CancellationToken stop)
    {
        long timeoutTicks = Ticks.FromTimeSpan(timeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 500)));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                long now = Stopwatch.GetTimestamp();
                foreach (LoadGenConnection connection in connections)
                {
                    connection.ExpireOverdue(now, timeoutTicks);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped at the end of the run.
        }
    }

    private sealed class PhaseCounter(long total)
    {
        private long _taken;

        public bool TryTake() => Interlocked.Increment(ref _taken) <= total;
    }
}
