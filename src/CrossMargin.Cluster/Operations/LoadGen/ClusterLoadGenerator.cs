using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Scenarios;
using Serilog;

namespace CrossMargin.Cluster.Operations.LoadGen;

/// <summary>
/// <c>crossmargin cluster loadgen</c>: drives a running cluster through its inboxes only, as any client would.
/// <list type="number">
/// <item>Seed: the scenario's deposits of accounts 1..N and the market maker, then their matched opening trades (both
/// sides, the same engine command id), each to the inbox of the account's shard. Seed command ids are derived from the
/// account and step, so running the generator again seeds nothing twice (the inbox answers from the stored reply).</item>
/// <item>Drive: at <see cref="LoadGenOptions.TickRate"/>, an index tick to a feed singleton's inbox (the index falling
/// by <see cref="LoadGenOptions.Drop"/> over the run) plus <see cref="LoadGenOptions.CommandsPerTick"/> small deposits
/// to random seeded accounts.</item>
/// <item>Drain: wait for every reply (up to the reply timeout each).</item>
/// </list>
/// Every acknowledged command is recorded (<see cref="AcknowledgedCommand"/>) so an audit can check the journal holds
/// its effect exactly once. Transient database errors (a restarting PostgreSQL) are retried until the reply timeout.
/// One run per instance; not thread-safe.
/// </summary>
public sealed class ClusterLoadGenerator
{
    private const long DepositSeedBase = 10_000_000_000L;
    private const long TradeSeedBase = 20_000_000_000L;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly ClusterInbox _inbox;
    private readonly Scenario _scenario;
    private readonly LoadGenOptions _options;
    private readonly int _shardCount;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentQueue<AcknowledgedCommand> _acknowledged = new();
    private readonly ConcurrentQueue<string> _refusals = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private long _sent, _acked, _refused, _unanswered, _inFlight;
    private bool _driving;

    /// <summary>Creates a generator for the cluster behind <paramref name="inbox"/>, whose nodes run <paramref name="scenario"/> with <paramref name="shardCount"/> shards.</summary>
    public ClusterLoadGenerator(ClusterInbox inbox, int shardCount, Scenario scenario, LoadGenOptions options, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        _inbox = inbox;
        _scenario = scenario;
        _options = options;
        _shardCount = shardCount;
        _log = (log ?? Serilog.Log.Logger).ForContext<ClusterLoadGenerator>();
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxInFlight));
    }

    /// <summary>
    /// Opens the cluster store read-only (accepting the recorded shard count), waiting up to <paramref name="patience"/>
    /// for a node to have recorded one (the generator may start before the first node has joined).
    /// </summary>
    /// <exception cref="ClusterOperationException">No shard count recorded within the patience, or PostgreSQL unreachable.</exception>
    public static async Task<ClusterStore> OpenStoreAsync(string connection, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            ClusterStore store;
            try
            {
                store = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection), cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterUnreachableException e)
            {
                throw new ClusterOperationException(e.Message, e);
            }

            if (store.ShardCount > 0)
            {
                return store;
            }

            await store.DisposeAsync().ConfigureAwait(false);
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new ClusterOperationException($"{ClusterStore.TargetOf(connection)} has no shard count recorded after {patience.TotalSeconds:0}s: no node has joined; start nodes first (crossmargin node, or crossmargin cluster up)");
            }

            // Polling for the first node to record the shard count.
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Seeds, drives and drains; writes the acknowledged file when configured.</summary>
    /// <exception cref="ClusterOperationException">More accounts asked for than the scenario's directory holds.</exception>
    public async Task<LoadGenResult> RunAsync(IProgress<LoadGenProgress>? progress, CancellationToken cancellationToken)
    {
        if (_options.Accounts < 1 || _options.Accounts > _scenario.Population.Count)
        {
            throw new ClusterOperationException($"--accounts {_options.Accounts}: the scenario '{_scenario.Name}' has {_scenario.Population.Count} trading accounts (ids 1..{_scenario.Population.Count}); "
                + "the nodes and the generator must load the same scenario (crossmargin.engine.population.accounts)");
        }

        using var reporter = new Timer(_ => progress?.Report(Progress()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var (seedCommands, seeded) = await SeedAsync(cancellationToken).ConfigureAwait(false);
        var seedAcknowledged = Interlocked.Read(ref _acked);
        _log.Information("loadgen seeded {Accounts} accounts with {Commands} commands ({Acknowledged} acknowledged)", seeded.Count, seedCommands, seedAcknowledged);
        _driving = true;
        var start = Stopwatch.GetTimestamp();
        var pending = await DriveAsync(seeded, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(pending).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        progress?.Report(Progress());
        var acknowledged = _acknowledged.ToList();
        if (_options.AcknowledgedFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllLinesAsync(file, acknowledged.Select(a => a.ToString()), CancellationToken.None).ConfigureAwait(false);
        }

        var sorted = _latencies.Order().ToArray();
        return new LoadGenResult(seeded.Count, seedCommands, Interlocked.Read(ref _sent) - seedCommands, acknowledged, seedAcknowledged,
            Interlocked.Read(ref _refused), Interlocked.Read(ref _unanswered), seconds,
            (Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1]), _refusals.Take(10).ToList());
    }

    private LoadGenProgress Progress() => new(_driving ? "drive" : "seed", Interlocked.Read(ref _sent), Interlocked.Read(ref _acked), Interlocked.Read(ref _inFlight), Interlocked.Read(ref _refused));

    private async Task<(long Commands, IReadOnlyList<AccountSeed> Seeded)> SeedAsync(CancellationToken ct)
    {
        var mm = _scenario.MarketMaker.AccountId;
        var selected = _scenario.Population.All().Where(s => s.AccountId == mm || (s.AccountId >= 1 && s.AccountId <= _options.Accounts)).ToList();
        var ids = selected.Select(s => s.AccountId).ToHashSet();
        long commands = 0;
        var replies = new List<Task>();
        foreach (var s in selected)
        {
            for (var k = 0; k < s.Deposits.Count; k++)
            {
                var id = DepositSeedBase + (s.AccountId * 64) + k;
                var (asset, amount) = s.Deposits[k];
                // Deposits need no order among themselves: enqueued concurrently (bounded by the in-flight slots).
                replies.Add(SendAsync("deposit", new Deposit(s.AccountId, id, asset, amount), SeedGuid("deposit", s.AccountId, id), ct).Unwrap());
                commands++;
            }
        }

        // Positions only once the collateral is in: a trade's initial-margin check needs the deposits applied.
        await Task.WhenAll(replies).ConfigureAwait(false);
        replies.Clear();
        var n = 0L;
        foreach (var (accountId, t, mirror) in _scenario.Population.MatchedTrades())
        {
            if (!ids.Contains(accountId) || !ids.Contains(t.CounterpartyId))
            {
                continue;
            }

            var id = TradeSeedBase + n++;
            var a = new PlaceTrade(accountId, id, t.Instrument, t.Size, t.Price, t.CounterpartyId, t.IsolatedMargin);
            var b = new PlaceTrade(t.CounterpartyId, id, t.Instrument, -t.Size, t.Price, accountId, mirror?.IsolatedMargin ?? 0m);
            replies.Add(SendAsync("trade", a, SeedGuid("trade", accountId, id), ct).Unwrap());
            replies.Add(SendAsync("trade", b, SeedGuid("trade", t.CounterpartyId, id), ct).Unwrap());
            commands += 2;
        }

        await Task.WhenAll(replies).ConfigureAwait(false);
        return (commands, selected.Where(s => s.AccountId != mm).ToList());
    }

    private async Task<List<Task>> DriveAsync(IReadOnlyList<AccountSeed> seeded, CancellationToken ct)
    {
        var pending = new List<Task>();
        var symbols = _scenario.FeedSymbols.ToList();
        if (symbols.Count == 0 || _options.TickRate < 1)
        {
            return pending;
        }

        var steps = Math.Max(1, (long)(_options.Duration.TotalSeconds * _options.TickRate));
        var interval = TimeSpan.FromSeconds(1.0 / _options.TickRate);
        var lastTime = new Dictionary<string, long>(StringComparer.Ordinal);
        var tickChains = new Dictionary<string, Task<Task>>(StringComparer.Ordinal);
        var random = new Random(unchecked((int)_options.Seed));
        var idBase = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var start = Stopwatch.GetTimestamp();
        for (long step = 0; step < steps && !ct.IsCancellationRequested; step++)
        {
            var symbol = symbols[(int)(step % symbols.Count)];
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            var time = lastTime[symbol] = Math.Max(now, (lastTime.TryGetValue(symbol, out var last) ? last : 0) + 1);
            var price = IndexAt(symbol, (decimal)step / steps);
            // A feed's ticks must reach its inbox in time order: each waits for the previous one's enqueue (not its reply).
            var tick = SendAfterAsync(tickChains.GetValueOrDefault(symbol), "tick", new IndexTickMessage(symbol, time, price), ct);
            tickChains[symbol] = tick;
            pending.Add(tick.Unwrap());
            for (var j = 0; j < _options.CommandsPerTick && seeded.Count > 0; j++)
            {
                var account = seeded[random.Next(seeded.Count)];
                var asset = account.Deposits.Count > 0 ? account.Deposits[0].Asset : _scenario.ValuationAsset;
                var id = idBase + (step * Math.Max(1, _options.CommandsPerTick)) + j;
                pending.Add(SendAsync("deposit", new Deposit(account.AccountId, id, asset, 1m), Guid.NewGuid(), ct).Unwrap());
            }

            // Open-loop pacing of the offered load (not a synchronisation): the next step's scheduled instant.
            var due = TimeSpan.FromTicks(interval.Ticks * (step + 1)) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct).ConfigureAwait(false);
            }
        }

        return pending;
    }

    /// <summary>Sends after <paramref name="previous"/>'s enqueue has completed (keeps one target's order while others run concurrently).</summary>
    private async Task<Task> SendAfterAsync(Task<Task>? previous, string kind, object message, CancellationToken ct)
    {
        if (previous is not null)
        {
            await previous.ConfigureAwait(false);
        }

        return await SendAsync(kind, message, Guid.NewGuid(), ct).ConfigureAwait(false);
    }

    /// <summary>The index of <paramref name="symbol"/> a fraction <paramref name="progress"/> through the drive, on its tick grid.</summary>
    private decimal IndexAt(string symbol, decimal progress)
    {
        var instrument = _scenario.Instruments.FirstOrDefault(i => i.Id == symbol);
        var asset = _scenario.Assets.FirstOrDefault(a => a.PriceFeed == symbol);
        var (initial, tick) = instrument is not null ? (instrument.InitialPrice, instrument.Spec.TickSize)
            : asset is not null ? (asset.InitialPrice, asset.TickSize) : (1m, 0m);
        var price = initial * (1m - (_options.Drop * progress));
        if (tick > 0m)
        {
            price = Math.Max(tick, Math.Round(price / tick, MidpointRounding.ToZero) * tick);
        }

        return price;
    }

    /// <summary>
    /// Enqueues <paramref name="message"/> (retrying transient errors) and returns the task that awaits its reply; the
    /// outer task completes once the command is durable in its inbox (callers that need an order chain on it).
    /// </summary>
    private async Task<Task> SendAsync(string kind, object message, Guid commandId, CancellationToken ct)
    {
        var (target, pid, key) = message switch
        {
            AccountCommand c => (ClusterResources.Shard(ShardMap.ShardOf(c.AccountId, _shardCount)), EngineIds.Account(c.AccountId), c.CommandId),
            IndexTickMessage t => (ClusterResources.Feed(t.Symbol), EngineIds.Feed(t.Symbol), t.TimeMicros),
            _ => throw new ArgumentException($"no route for {message.GetType().Name}", nameof(message)),
        };
        var (type, payload) = MessageCodec.Encode(message);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _sent);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(_options.ReplyTimeout.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (true)
            {
                try
                {
                    await _inbox.EnqueueAsync(target, commandId, type, payload, null, ct).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (ClusterStore.IsTransient(e) && Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
                {
                    _log.Debug("loadgen: enqueue of {CommandId} failed ({Error}); retrying", commandId, e.Message);
                    await Task.Delay(RetryPause, ct).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            Release();
            throw;
        }

        var record = new AcknowledgedCommand(commandId, kind, pid, key);
        return AwaitReplyAsync(record, target, started, deadline, ct);
    }

    private async Task AwaitReplyAsync(AcknowledgedCommand command, string target, long started, long deadline, CancellationToken ct)
    {
        try
        {
            var reply = await ReplyWithRetriesAsync(command.CommandId, deadline, ct).ConfigureAwait(false);
            if (reply is null)
            {
                Interlocked.Increment(ref _unanswered);
                _log.Warning("loadgen: no reply to {Kind} {CommandId} for {Target} within {Timeout}", command.Kind, command.CommandId, target, _options.ReplyTimeout);
                return;
            }

            var refusal = MessageCodec.DecodeReply(reply) switch
            {
                CommandReply { Accepted: true } or TickAccepted or EventAppliedReply => null,
                CommandReply r => r.Reason ?? "refused",
                MessageError e => $"{e.Code}: {e.Message}",
                var other => $"unexpected reply {other.GetType().Name}",
            };
            if (refusal is null)
            {
                _acknowledged.Enqueue(command);
                Interlocked.Increment(ref _acked);
                if (_driving)
                {
                    _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            else
            {
                Interlocked.Increment(ref _refused);
                if (_refusals.Count < 10)
                {
                    _refusals.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{command.Kind} {command.PersistenceId}: {refusal}"));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _unanswered);
        }
        finally
        {
            Release();
        }
    }

    private async Task<byte[]?> ReplyWithRetriesAsync(Guid commandId, long deadline, CancellationToken ct)
    {
        while (true)
        {
            var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(left);
            try
            {
                return await _inbox.AwaitReplyAsync(commandId, timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (ClusterStore.IsTransient(e) && !ct.IsCancellationRequested)
            {
                // PostgreSQL restarting: the command is durable in the inbox; ask again once the server answers.
                await Task.Delay(RetryPause, ct).ConfigureAwait(false);
            }
        }
    }

    private void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        _slots.Release();
    }

    /// <summary>A command id fixed by what the command is, so a second run's seed is a duplicate the inbox answers from its stored reply.</summary>
    private Guid SeedGuid(string kind, long accountId, long engineCommandId)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"crossmargin-loadgen-seed/{_scenario.Name}/{kind}/{accountId}/{engineCommandId}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
