using Bridge.Protocols.Api;
using Bridge.Protocols.Gree;

namespace Bridge.Service.Drivers.Gree;

/// <summary>What one adopted unit reports to whoever keeps its device.</summary>
public interface IGreeUnitEvents
{
    /// <summary>A <c>dat</c> (poll) answered: the unit is there with this state.</summary>
    void Polled(GreeUnit unit, GreeMessage dat);
    void Lost(GreeUnit unit, GreeFailure why);
    /// <summary>The unit forgot our key (reset, power cycle on some firmware) and bound again with a new one.</summary>
    void Rekeyed(GreeUnit unit, string key);
}

/// <summary>One adopted Gree unit: its link, its pinned cipher and key, and its status poll (PROTOCOLS.md
/// §10.3: units never push changes made with their remote). A unit that misses polls is offline only
/// after <see cref="GreeOptions.FailedPollsBeforeOffline"/> in a row (units time out now and then);
/// then a scan tells a silent unit from one that no longer takes our key, which is bound again once
/// (binding needs no secret) and otherwise left alone until adopted again.</summary>
public sealed class GreeUnit : IAsyncDisposable
{
    private readonly GreeLink _link;
    private readonly GreeOptions _options;
    private readonly TimeProvider _time;
    private readonly IGreeUnitEvents _events;
    private readonly CancellationTokenSource _stop = new();
    private volatile string _key;
    private Task? _loop;
    private int _failedPolls;

    public GreeUnit(string deviceId, GreeLink link, GreeCipherVersion cipher, string key, string? firmware, IReadOnlyList<string> columns,
        GreeOptions options, TimeProvider time, IGreeUnitEvents events)
    {
        DeviceId = deviceId;
        _link = link;
        Cipher = cipher;
        _key = key;
        Firmware = firmware;
        Columns = columns;
        _options = options;
        _time = time;
        _events = events;
    }

    public string DeviceId { get; }
    public string Mac => _link.Mac;
    public System.Net.IPEndPoint EndPoint => _link.EndPoint;
    /// <summary>Pinned at bind: the cipher the unit answered.</summary>
    public GreeCipherVersion Cipher { get; }
    /// <summary>The scan's <c>ver</c>: TemSen carries no offset on V4.x firmware.</summary>
    public string? Firmware { get; }
    /// <summary>The columns a poll asks for (the profile's).</summary>
    public IReadOnlyList<string> Columns { get; }
    public GreeFailure Failure { get; private set; }

    /// <summary>Starts polling; <paramref name="pollNow"/> asks at once (a unit loaded at start), else after one interval.</summary>
    public void Start(bool pollNow) => _loop ??= Task.Run(() => RunAsync(pollNow, _stop.Token));

    /// <summary>Asks for the state now; null when the unit did not answer.</summary>
    public Task<GreeMessage?> StatusAsync(CancellationToken ct) =>
        _link.RequestAsync(Cipher, _key, GreeMessage.Status(Mac, Columns), "dat", _options.ReplyTimeout, ct);

    /// <summary>Sends a cmd and returns the unit's <c>res</c>: the values it applied. A lost datagram is
    /// sent once more (a cmd sets absolute values, so twice is the same as once).</summary>
    public async Task<GreeMessage> CommandAsync(IReadOnlyList<string> columns, IReadOnlyList<int> values, CancellationToken ct)
    {
        if (Failure == GreeFailure.KeyRejected) throw new CommandFailedException(CommandFailure.Offline(DeviceId, GreeFailures.KeyRejectedMessage));
        var cmd = GreeMessage.Cmd(columns, values);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var res = await _link.RequestAsync(Cipher, _key, cmd, "res", _options.ReplyTimeout, ct,
                m => m.Columns.Count == 0 || m.Columns.SequenceEqual(columns)).ConfigureAwait(false);
            if (res is null) continue;
            if (res.R is { } r and not 200)
                throw new CommandFailedException(new(ErrorCodes.Internal, $"Gree unit '{DeviceId}' refused the command (r {r})"));
            return res;
        }
        throw new CommandFailedException(new(ErrorCodes.DeviceOffline, $"Gree unit '{DeviceId}' did not answer the command: {GreeFailures.NoAnswerMessage}"));
    }

    private async Task RunAsync(bool pollNow, CancellationToken ct)
    {
        try
        {
            if (pollNow) await PollOnceAsync(ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested && Failure != GreeFailure.KeyRejected)
            {
                await Task.Delay(_options.PollInterval, _time, ct).ConfigureAwait(false);
                await PollOnceAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async Task PollOnceAsync(CancellationToken ct)
    {
        if (await StatusAsync(ct).ConfigureAwait(false) is { } dat)
        {
            _failedPolls = 0;
            Failure = GreeFailure.None;
            _events.Polled(this, dat);
            return;
        }
        if (++_failedPolls < _options.FailedPollsBeforeOffline) return;
        // Missed polls in a row: is the unit there at all?
        if (await _link.ScanAsync(_options.ReplyTimeout, ct).ConfigureAwait(false) is null)
        {
            Failure = GreeFailure.NoAnswer;
            _events.Lost(this, GreeFailure.NoAnswer);
            return;
        }
        // It answers its scan but not our key: it was reset. Binding takes no secret, so bind again, once.
        if (await GreeBind.BindAsync(_link, [Cipher], _options.ReplyTimeout, ct).ConfigureAwait(false) is { } bound
            && await _link.RequestAsync(Cipher, bound.Key, GreeMessage.Status(Mac, Columns), "dat", _options.ReplyTimeout, ct).ConfigureAwait(false) is { } fresh)
        {
            _key = bound.Key;
            _failedPolls = 0;
            Failure = GreeFailure.None;
            _events.Rekeyed(this, bound.Key);
            _events.Polled(this, fresh);
            return;
        }
        Failure = GreeFailure.KeyRejected;
        _events.Lost(this, GreeFailure.KeyRejected);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _link.Dispose();
    }
}
