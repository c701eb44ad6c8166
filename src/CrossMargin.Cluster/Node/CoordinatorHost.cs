using System.Diagnostics;
using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Query;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// The liquidation coordinator singleton on the node holding <c>singleton-coordinator</c>: a
/// <see cref="LiquidationCoordinatorActor"/> resumed from its journal, fed by its inbox (liquidation requests and account
/// updates from every node), with quote mirrors that follow the feeds' journals, running cascade rounds on a timer. Its
/// account events go out through the shard inboxes (stable command ids per round, account and position in the round,
/// so a re-send is deduplicated; a settlement carries the base it was computed from) and its round flows through the
/// feed singletons' inboxes. The actor runs in cluster mode (<see cref="DeliveryIdOf"/>): its read model folds the events
/// no report has confirmed yet on top of each report and acts only on requests that include them, so reports crossing
/// settlements in flight never settle an account twice. A new feed time, or the next timer tick after a cascade reached
/// the round cap, starts a new cascade; a round a feed has not answered within a minute does not stop the loop.
/// </summary>
/// <remarks>
/// The actor runs under a <see cref="SingletonSupervisor"/>, like the feeds: a coordinator that stops itself while this
/// node holds the lease (its recovery failed on a connection a PostgreSQL restart broke, or a journal write failed) is
/// started again after a backoff instead of leaving the cluster without liquidations until the lease moves. Each
/// incarnation starts from nothing, so it gets what the first one got: quote mirrors replaying the feeds' journals from
/// the start (aimed at that incarnation only, so a dead one's mirror never feeds the next twice), the insurance fund's
/// seed while the journal still has none, and, once it has recovered, a re-margin of every account so they report to
/// it again (reports sent to a dead incarnation are lost; the inbox had already acknowledged them).
/// </remarks>
internal sealed class CoordinatorHost : ISingletonHost
{
    /// <summary>How long the round loop waits for one round (its feeds' answers included) before it carries on.</summary>
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Pause between attempts to read the coordinator's highest sequence number while the database is unreachable.</summary>
    private static readonly TimeSpan ReadRetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly ActorSystem _system;
    private readonly NodeEngine _engine;
    private readonly Persistence.Sql.Journal.SqlJournal _journal;
    private readonly ClusterOutbox _outbox;
    private readonly NodeOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _loops = new();
    private readonly TimeSpan _drain;
    private InboxConsumer? _consumer;
    private CancellationTokenSource? _incarnationStop;
    private volatile bool _seedPending;

    private CoordinatorHost(Lease lease, NodeEngine engine, Persistence.Sql.Journal.SqlJournal journal, ClusterOutbox outbox, NodeOptions options, ILogger log, bool seedPending)
    {
        Lease = lease;
        _system = engine.System;
        _engine = engine;
        _journal = journal;
        _outbox = outbox;
        _options = options;
        _log = log;
        _drain = options.HandOffTimeout;
        _seedPending = seedPending;
    }

    public Lease Lease { get; }

    /// <summary>The supervisor of the coordinator's incarnations: messages sent to it reach the running one.</summary>
    public IActorRef Actor { get; private set; } = ActorRefs.Nobody;

    /// <summary>
    /// Starts the coordinator under <paramref name="lease"/>. Reads the coordinator's journal first (whether this is the
    /// journal's first coordinator, which seeds the insurance fund), retrying while the database is unreachable until
    /// the lease is lost; returns without waiting for the actor's recovery.
    /// </summary>
    /// <exception cref="OperationCanceledException">The lease was lost before the journal could be read.</exception>
    public static async Task<CoordinatorHost> StartAsync(Lease lease, NodeEngine engine, ClusterInbox inbox, ClusterClient client, ClusterOutbox outbox, Persistence.Sql.Journal.SqlJournal journal, NodeOptions options, ILogger log)
    {
        var fresh = await ReadHighestAsync(journal, lease, log, CancellationToken.None).ConfigureAwait(false) == 0;
        var host = new CoordinatorHost(lease, engine, journal, outbox, options, log, fresh);
        var scenario = engine.Scenario;
        var w = engine.Wiring;
        var cw = new EngineWiring(engine.Model, w.MarketMakerId, w.Modes, w.AssetFeeds, w.Board, 0);
        var limits = new CoordinatorLimits(scenario.Coordinator.MaxRoundsPerTick, null, 32, scenario.Coordinator.InsuranceFundAsset);
        var name = string.Create(CultureInfo.InvariantCulture, $"coordinator-e{lease.Epoch}");
        var stop = host._stop.Token;
        cw.Region = engine.System.CreateFunctionRef((message, _) =>
        {
            switch (message)
            {
                case ApplyCoordinatorEvent e:
                    // The actor numbered the event (DeliveryIdOf): the same round, account and position always give the
                    // same id, so a round re-run by a successor is applied once by the account.
                    var id = e.DeliveryId ?? throw new InvalidOperationException($"the coordinator sent account {e.AccountId} a {e.Event.GetType().Name} without a delivery id");
                    outbox.Post(e.Event switch
                    {
                        LiquidationFilled f => new LiquidationFillMessage(e.AccountId, f),
                        WaterfallSettled s => new WaterfallSettledMessage(e.AccountId, s, e.Before is { } before ? Holdings(before) : null),
                        _ => throw new InvalidOperationException($"the coordinator emitted a {e.Event.GetType().Name}, which has no wire form"),
                    }, id);
                    break;
                case MarksChanged m:
                    outbox.Post(new RemarginMessage(m.AccountId, m.TimeMicros));
                    break;
            }
        }, "coordinator-region");
        foreach (var symbol in scenario.FeedSymbols)
        {
            var s = symbol;
            cw.Feeds[s] = engine.System.CreateFunctionRef((message, sender) =>
            {
                if (message is ApplyRoundFlow f && sender is not null)
                {
                    // The answer goes to the incarnation that ran the round, not to whichever runs when it arrives.
                    _ = SendFlowAsync(client, sender, s, f, options.CommandTimeout, log, stop);
                }
            }, "coordinator-feed-" + s);
        }

        // The state machines are made inside the factory: every incarnation recovers into fresh ones, not into the
        // instances a failed one had already folded the journal into.
        var coordinatorProps = () => Props.Create(() => new LiquidationCoordinatorActor(
            new LiquidationCoordinatorLogic(limits),
            scenario.FeedSymbols.ToDictionary(s => s, s => engine.CreateFeed(s, 1), StringComparer.Ordinal),
            cw,
            DeliveryIdOf));
        var actor = engine.System.ActorOf(
            Props.Create(() => new SingletonSupervisor(
                coordinatorProps,
                name,
                SingletonSupervisor.DefaultMinBackoff,
                SingletonSupervisor.DefaultMaxBackoff,
                () => !lease.IsLost && !host._stop.IsCancellationRequested,
                log,
                host.OnIncarnationStarted)),
            name);
        host.Actor = actor;
        cw.Coordinator = actor;
        host._consumer = new InboxConsumer(
            inbox,
            ClusterResources.Coordinator,
            lease,
            (message, decoded, ct) => Task.FromResult<object>(Handle(actor, engine, message, decoded)),
            options.InboxBatchSize,
            options.Settings.InboxPollInterval,
            log);
        host._consumer.Start();
        host.Track(Task.Run(() => host.RoundsAsync(actor, limits.MaxRoundsPerTick, options.CoordinatorRoundInterval, stop)));
        return host;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_consumer is not null)
        {
            await _consumer.StopAsync(_drain).ConfigureAwait(false);
        }

        Task[] loops;
        lock (_gate)
        {
            loops = _loops.ToArray();
        }

        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await ActorStopper.StopAsync(_system, Actor, null, _drain).ConfigureAwait(false);
        lock (_gate)
        {
            _incarnationStop?.Dispose();
            _incarnationStop = null;
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Called by the supervisor (on its turn) when incarnation <paramref name="number"/> was created: the previous
    /// incarnation's mirrors stop, this one gets its own, the fund's seed when it is the journal's first coordinator,
    /// and the accounts' reports once it has recovered.
    /// </summary>
    private void OnIncarnationStarted(IActorRef incarnation, int number)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            var previous = _incarnationStop;
            _incarnationStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            previous?.Cancel();
            previous?.Dispose();
            var token = _incarnationStop.Token;
            var seeded = false;
            if (number == 1 && _seedPending)
            {
                // The first coordinator of this journal seeds the insurance fund (as the single-process driver does),
                // before any other message reaches it.
                incarnation.Tell(new SeedInsuranceFund(_engine.Scenario.Coordinator.InsuranceFundStart));
                seeded = true;
            }

            foreach (var symbol in _engine.Scenario.FeedSymbols)
            {
                var s = symbol;
                Track(Task.Run(() => MirrorAsync(_journal, incarnation, s, token)));
            }

            Track(Task.Run(() => PrepareAsync(incarnation, number, seeded, token)));
        }
    }

    /// <summary>Keeps <paramref name="task"/> to wait for at stop (and forgets the finished ones).</summary>
    private void Track(Task task)
    {
        lock (_gate)
        {
            _loops.RemoveAll(t => t.IsCompleted);
            _loops.Add(task);
        }
    }

    /// <summary>The token of the running incarnation (cancelled when the next one starts or the host stops).</summary>
    private CancellationToken IncarnationToken
    {
        get
        {
            lock (_gate)
            {
                return _incarnationStop?.Token ?? _stop.Token;
            }
        }
    }

    /// <summary>
    /// Seeds the fund from a later incarnation when the journal's first coordinator died before journaling it, then waits
    /// for the incarnation's recovery and asks every account to report to it.
    /// </summary>
    private async Task PrepareAsync(IActorRef incarnation, int number, bool seeded, CancellationToken cancellationToken)
    {
        try
        {
            if (number > 1 && _seedPending)
            {
                // No earlier incarnation confirmed the seed. It is journaled if any of them wrote it (they are dead, so the
                // journal says the last word): seed only when the coordinator's journal is still empty.
                if (await ReadHighestAsync(_journal, Lease, _log, cancellationToken).ConfigureAwait(false) == 0)
                {
                    incarnation.Tell(new SeedInsuranceFund(_engine.Scenario.Coordinator.InsuranceFundStart));
                    seeded = true;
                }
                else
                {
                    _seedPending = false;
                }
            }

            // A resumed coordinator's read model of the accounts is empty: every account with something at stake
            // re-margins and reports its state (and any liquidation request) to it. Asked once the actor has recovered
            // (a command waits for the recovery), so each re-margin follows the events the recovery re-sent through the
            // same inbox and the report covers them.
            try
            {
                await incarnation.Ask<CoordinatorView>(GetCoordinatorView.Instance, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                if (seeded)
                {
                    // Commands are handled in order and the seed is persisted before the next one: it is journaled.
                    _seedPending = false;
                }
            }
            catch (AskTimeoutException e)
            {
                // Not recovered in time, or already stopped (then the next incarnation asks again).
                _log.Warning("Coordinator epoch {Epoch} incarnation {Incarnation}: not recovered within {Timeout} ({Error}); asking the accounts to report anyway", Lease.Epoch, number, _options.CommandTimeout, e.Message);
            }

            foreach (var id in _engine.Wiring.Modes.Keys)
            {
                _outbox.Post(new RemarginMessage(id, _engine.LastFeedTimeMicros));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer incarnation took over, or the host stops.
        }
    }

    /// <summary>The coordinator's highest sequence number, retried while the database is unreachable, until the lease is lost.</summary>
    private static async Task<long> ReadHighestAsync(Persistence.Sql.Journal.SqlJournal journal, Lease lease, ILogger log, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await journal.ReadHighestSequenceNrAsync(EngineIds.Coordinator).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !lease.IsLost && !cancellationToken.IsCancellationRequested)
            {
                log.Warning("Coordinator epoch {Epoch}: reading its journal failed, retrying in {Interval}: {Error}", lease.Epoch, ReadRetryInterval, e.Message);
            }

            if (lease.IsLost)
            {
                throw new OperationCanceledException($"the coordinator's lease {lease.Resource} epoch {lease.Epoch} was lost before its journal could be read");
            }

            await Task.Delay(ReadRetryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static AccountHoldings Holdings(Risk.Model.Account account)
    {
        var settled = AccountLogic.SettledEvent(0, "before", account);
        return new AccountHoldings(settled.Balances, settled.Positions);
    }

    /// <summary>The inbox command id of the <paramref name="n"/>-th event of <paramref name="round"/> for <paramref name="account"/>.</summary>
    internal static Guid DeliveryIdOf(int round, long account, int n) =>
        ClusterOutbox.StableId(string.Create(CultureInfo.InvariantCulture, $"coordinator/{round}/{account}/{n}"));

    private static object Handle(IActorRef actor, NodeEngine engine, InboxMessage message, object decoded)
    {
        switch (decoded)
        {
            case LiquidationRequestMessage r:
                actor.Tell(new LiquidationRequest(r.State.ToState(engine.Model), r.Classified, r.Severity, r.Request) { Version = r.Version, LastCoordinatorEvent = r.LastCoordinatorEvent });
                return new Ack(true);
            case AccountUpdatedMessage u:
                actor.Tell(new AccountUpdated(u.State.ToState(engine.Model)) { Version = u.Version, LastCoordinatorEvent = u.LastCoordinatorEvent });
                return new Ack(true);
            default:
                return new MessageError("wrong-target", $"{message.Type} cannot be handled by the liquidation coordinator");
        }
    }

    private static async Task SendFlowAsync(ClusterClient client, IActorRef incarnation, string symbol, ApplyRoundFlow flow, TimeSpan timeout, ILogger log, CancellationToken cancellationToken)
    {
        var id = ClusterOutbox.StableId(string.Create(CultureInfo.InvariantCulture, $"round-flow/{symbol}/{flow.Round}"));
        while (true)
        {
            try
            {
                await client.RequestAsync<RoundFlowReply>(new RoundFlowMessage(symbol, flow.Round, flow.TimeMicros, flow.NetQuantity), id, timeout, cancellationToken).ConfigureAwait(false);

                // The impact reaches the quote mirror through the feed's journal (MirrorAsync), not twice.
                incarnation.Tell(new RoundFlowApplied(symbol, null, []));
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                log.Warning("Coordinator: round {Round} flow to feed {Symbol} not answered, re-sending: {Error}", flow.Round, symbol, e.Message);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    /// <summary>Feeds <paramref name="incarnation"/>'s quote mirror of <paramref name="symbol"/> from the feed's journal, from the start.</summary>
    private static async Task MirrorAsync(IReadJournal journal, IActorRef incarnation, string symbol, CancellationToken cancellationToken)
    {
        long next = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var envelope in journal.EventsByPersistenceId(EngineIds.Feed(symbol), next, long.MaxValue, cancellationToken).ConfigureAwait(false))
                {
                    next = envelope.SequenceNr + 1;
                    if (envelope.Event is FeedEvent e)
                    {
                        incarnation.Tell(new FeedEventJournaled(symbol, e));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RoundsAsync(IActorRef coordinator, int maxRoundsPerTick, TimeSpan interval, CancellationToken cancellationToken)
    {
        var engine = _engine;
        var log = _log;
        using var timer = new PeriodicTimer(interval);
        long cascadeTime = long.MinValue;
        long feedTime = long.MinValue;
        long now = long.MinValue;
        var feedTimeSeen = Stopwatch.GetTimestamp();
        var rounds = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var feed = engine.LastFeedTimeMicros;
                if (feed != feedTime)
                {
                    feedTime = feed;
                    feedTimeSeen = Stopwatch.GetTimestamp();
                }

                // The round clock is the latest feed time plus the real time since it was seen: once the ticks stop (the
                // end of a run) it keeps moving, so cooldowns after a partial liquidation expire and an account still
                // queued (one that then went bankrupt, say) is settled instead of waiting for a tick that never comes.
                now = Math.Max(now, feed + (long)Stopwatch.GetElapsedTime(feedTimeSeen).TotalMicroseconds);
                if (feed != cascadeTime || rounds >= maxRoundsPerTick)
                {
                    // A new tick starts a new cascade (depth back to 0), as the single-process driver does. So does the
                    // next timer tick after a cascade hit the round cap: with no more ticks nothing else would start one.
                    coordinator.Tell(EndCascade.Instance);
                    cascadeTime = feed;
                    rounds = 0;
                }

                while (rounds < maxRoundsPerTick && !cancellationToken.IsCancellationRequested)
                {
                    RoundCompleted r;
                    try
                    {
                        // Bound to the running incarnation: a round that incarnation never finishes because it stopped is
                        // given up as soon as the next one starts, not after the round timeout.
                        r = await coordinator.Ask<RoundCompleted>(new RunRound(now), RoundTimeout, IncarnationToken).ConfigureAwait(false);
                    }
                    catch (AskTimeoutException e)
                    {
                        // A feed has not answered the round's flow yet (SendFlowAsync keeps re-sending it); the round ends
                        // when it does. Keep the loop alive: the coordinator answers "not executed" meanwhile. (Also the
                        // answer when the incarnation stopped under the question.)
                        log.Warning("Coordinator round at {Time} not finished: {Error}; carrying on", now, e.Message);
                        break;
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The incarnation that had the round stopped and a new one started: it gets the next round.
                        break;
                    }
                    catch (InvalidOperationException e)
                    {
                        // The supervisor's answer while no incarnation runs (between a stop and the restart).
                        log.Debug("Coordinator round at {Time} not run: {Error}", now, e.Message);
                        break;
                    }

                    if (!r.Executed)
                    {
                        break;
                    }

                    rounds++;
                    log.Information("Coordinator round {Round} at depth {Depth}: {Actions} action(s)", rounds, r.Depth, r.Actions);
                    if (r.Actions == 0)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (Exception e)
        {
            log.Error(e, "Coordinator round loop stopped");
        }
    }
}
