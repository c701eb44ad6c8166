using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Engine.Domain;

/// <summary>What a round did.</summary>
/// <param name="Executed">True when the round ran (false: nothing eligible).</param>
/// <param name="Touched">Accounts whose state changed (to re-margin), ascending.</param>
/// <param name="NetFlow">Net signed base quantity traded per instrument (for market impact), by instrument.</param>
/// <param name="Actions">Fills and waterfalls executed (0: the round changed nothing).</param>
public sealed record RoundOutcome(bool Executed, IReadOnlyList<long> Touched, IReadOnlyList<KeyValuePair<string, decimal>> NetFlow, int Actions)
{
    /// <summary>Nothing ran.</summary>
    public static RoundOutcome Idle { get; } = new(false, [], [], 0);
}

/// <summary>
/// The liquidation coordinator's logic: a queue ordered by severity (state, then MM/equity, then id), throttles (the
/// risk core's strategy per account plus a per-round notional cap and cooldowns), round numbering, partial liquidation
/// against the market maker at impact prices, and the loss waterfall for bankrupt accounts. Mutable; single-threaded.
/// </summary>
public sealed class LiquidationCoordinatorLogic
{
    private readonly Dictionary<long, (RiskState State, decimal Severity)> _queue = new();
    private readonly List<(long Id, (RiskState State, decimal Severity, long Id) Priority)> _eligible = new();
    private readonly Dictionary<long, long> _cooldownUntil = new();
    private readonly CoordinatorLimits _settings;
    private Dictionary<(string, int), List<long>>? _adlCandidates;

    // ADL candidates are ranked as of the first bankruptcy of the round on that instrument and side, but only computed
    // when a deficit actually reaches ADL. Every account change in the round is logged with the account's state before
    // it, so a late ranking sees the accounts as they were at that point: (instrument, side) → change-log position.
    private readonly Dictionary<(string, int), int> _candidatesAsOf = new();
    private readonly List<(long Id, Account Before)> _changes = new();
    private int _actions;

    /// <summary>Creates the coordinator.</summary>
    public LiquidationCoordinatorLogic(CoordinatorLimits settings) => _settings = settings;

    /// <summary>Insurance fund balance (settlement asset).</summary>
    public decimal InsuranceFund { get; private set; }

    /// <summary>Liquidation fees not paid to the fund.</summary>
    public decimal FeePool { get; private set; }

    /// <summary>Settlement value that entered the book when non-settlement collateral was seized (for conservation).</summary>
    public decimal SeizedValue { get; private set; }

    /// <summary>Non-settlement collateral seized off bankrupt accounts, by asset (asset units; it left the book).</summary>
    public SortedDictionary<string, decimal> SeizedAmounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Rounds executed so far (global round number of the last round).</summary>
    public int Round { get; private set; }

    /// <summary>Depth of the cascade under way (0 when none).</summary>
    public int Depth { get; private set; }

    /// <summary>Requests waiting.</summary>
    public int Pending => _queue.Count;

    /// <summary>The settings.</summary>
    public CoordinatorLimits Settings => _settings;

    /// <summary>Folds a coordinator event (seeding, or replaying a journal): fund, fee pool and round number.</summary>
    public void Apply(CoordinatorEvent e)
    {
        switch (e)
        {
            case InsuranceFundSeeded s:
                InsuranceFund = s.Amount;
                break;
            case CascadeRoundStarted r:
                Round = r.Round;
                Depth = r.Depth;
                break;
            case LiquidationExecuted l:
                InsuranceFund = l.InsuranceFund;
                FeePool = l.FeePool;
                break;
            case BankruptcyResolved b:
                InsuranceFund = b.InsuranceFund;
                FeePool = b.FeePool;
                break;
            case CollateralSeized c:
                SeizedValue += c.Value;
                foreach (var a in c.Amounts)
                {
                    SeizedAmounts[a.Asset] = (SeizedAmounts.TryGetValue(a.Asset, out var seized) ? seized : 0m) + a.Amount;
                }

                break;
        }
    }

    /// <summary>
    /// Queues a liquidation request, or re-prioritises a queued one whose state changed. A queued account re-margined
    /// in the same state keeps the severity it was queued with: how often a waiting account is re-margined depends
    /// on how wide its price bands are, and the queue order (hence the journal) must not.
    /// </summary>
    public void Request(long accountId, RiskState state, decimal severity)
    {
        if (accountId != EngineIds.MarketMaker && (!_queue.TryGetValue(accountId, out var queued) || queued.State != state))
        {
            _queue[accountId] = (state, severity);
        }
    }

    /// <summary>Drops a request (the account recovered).</summary>
    public void Cancel(long accountId) => _queue.Remove(accountId);

    /// <summary>Ends the cascade under way (a new tick starts the next at depth 1).</summary>
    public void EndCascade() => Depth = 0;

    /// <summary>Runs one round at <paramref name="timeMicros"/>: every eligible request in severity order.</summary>
    public RoundOutcome RunRound(long timeMicros, ILiquidationPorts ports)
    {
        // A heap, not a sort: a round with an action cap serves a few dozen of what may be tens of thousands of queued
        // requests, so only the ones it takes are ordered (the same total order: worst state, then severity, then id).
        _eligible.Clear();
        foreach (var (id, r) in _queue)
        {
            if (!_cooldownUntil.TryGetValue(id, out var until) || until <= timeMicros)
            {
                _eligible.Add((id, (r.State, r.Severity, id)));
            }
        }

        if (_eligible.Count == 0)
        {
            return RoundOutcome.Idle;
        }

        var eligible = new PriorityQueue<long, (RiskState State, decimal Severity, long Id)>(_eligible, ServeOrder.Instance);
        var round = Round + 1;
        var depth = Depth + 1;
        var started = new CascadeRoundStarted(round, depth, timeMicros, eligible.Count);
        ports.Emit(started);
        Apply(started);
        _adlCandidates = null;
        _candidatesAsOf.Clear();
        _changes.Clear();
        _actions = 0;

        var touched = new SortedSet<long>();
        var flow = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var budget = _settings.MaxNotionalPerRound;
        var model = ports.Model;
        var cooldown = model.Risk.Strategy.Cooldown;
        while (eligible.TryDequeue(out var id, out _))
        {
            if (budget is <= 0m || _actions >= _settings.MaxActionsPerRound)
            {
                break; // the rest stay queued for the next round
            }

            _queue.Remove(id);
            var account = ports.Account(id);
            var prices = ports.Prices;
            var risk = MarginEngine.EvaluateTotals(account.Account, model.Catalog, prices, model.Risk.Portfolio);
            var state = MarginEngine.State(risk, account.State, model.Risk.Thresholds);
            if (state < RiskState.Liquidating)
            {
                touched.Add(id);
                continue;
            }

            if (account.Account.Mode == MarginMode.Isolated)
            {
                foreach (var p in risk.Positions)
                {
                    if (p.Size != 0m && RiskStateMachine.Raw(p.IsolatedEquity ?? 0m, p.Maintenance, model.Risk.Thresholds) >= RiskState.Backstop)
                    {
                        Resolve(round, id, p.InstrumentId, ports, touched, flow);
                    }
                }

                account = ports.Account(id);
            }
            else if (state >= RiskState.Backstop)
            {
                Resolve(round, id, null, ports, touched, flow);
                touched.Add(id);
                continue;
            }

            var plan = LiquidationPlanner.Plan(account.Account, model.Catalog, ports.Prices, model.Risk, account.State);
            foreach (var o in plan.Orders)
            {
                if (plan.Kind == LiquidationKind.CloseOut && account.Account.Mode == MarginMode.Isolated)
                {
                    continue; // isolated close-outs went through the waterfall above
                }

                var notional = Execute(round, o, ports, flow);
                if (budget is not null)
                {
                    budget -= notional;
                }
            }

            if (cooldown > TimeSpan.Zero)
            {
                _cooldownUntil[id] = timeMicros + (long)(cooldown.Ticks / 10);
            }

            touched.Add(id);
        }

        return new RoundOutcome(true, touched.ToList(), flow.ToList(), _actions);
    }

    private decimal Execute(int round, LiquidationOrder o, ILiquidationPorts ports, SortedDictionary<string, decimal> flow)
    {
        _actions++;
        var model = ports.Model;
        var spec = model.Catalog.Instrument(o.InstrumentId);
        var feed = ports.Feed(o.InstrumentId);
        var baseQty = PositionMath.UnderlyingSize(spec, Math.Abs(o.SizeDelta), o.ReferencePrice);
        var quote = feed?.Quote(o.SizeDelta < 0m ? TradeSide.Sell : TradeSide.Buy, baseQty);
        var price = quote?.AverageFillPrice ?? o.ReferencePrice;
        var settleNotional = PositionMath.Notional(spec, o.SizeDelta, price);
        var fee = decimal.Round(settleNotional * model.Risk.LiquidationFeeRate, 12, MidpointRounding.ToZero);
        EmitAccount(ports, EngineIds.FromRiskId(o.AccountId), new LiquidationFilled(round, o.InstrumentId, o.SizeDelta, price, fee, EngineIds.MarketMaker));
        EmitAccount(ports, EngineIds.MarketMaker, new LiquidationFilled(round, o.InstrumentId, -o.SizeDelta, price, 0m, EngineIds.FromRiskId(o.AccountId)));
        var toFund = decimal.Round(fee * model.Risk.Waterfall.FeeToInsuranceShare, 12, MidpointRounding.ToZero);
        InsuranceFund += toFund;
        FeePool += fee - toFund;
        var executed = new LiquidationExecuted(round, EngineIds.FromRiskId(o.AccountId), o.InstrumentId, o.SizeDelta, price,
            Math.Abs(o.SizeDelta) * spec.ContractSize * (spec.Kind == InstrumentKind.LinearPerpetual ? price : 1m), fee, InsuranceFund, FeePool);
        ports.Emit(executed);
        flow[o.InstrumentId] = (flow.TryGetValue(o.InstrumentId, out var f) ? f : 0m) + (Math.Sign(o.SizeDelta) * baseQty);
        return settleNotional * ports.Prices.Price(spec.SettlementAsset);
    }

    private void Resolve(int round, long id, string? isolatedInstrument, ILiquidationPorts ports, SortedSet<long> touched, SortedDictionary<string, decimal> flow)
    {
        _actions++;
        var model = ports.Model;
        var prices = ports.Prices;
        var bankrupt = ports.Account(id).Account;

        // Most bankruptcies end at the insurance fund: then only the bankrupt account, the market maker (backstop) and
        // the fund take part, and the result cannot depend on anyone else. Ranking ADL candidates scans every account,
        // so it is done only when the deficit goes past the fund (ADL or socialized loss), and the waterfall rerun
        // with them: the cost of a bankruptcy then follows the accounts it involves, not the population.
        var members = new SortedSet<long> { id, EngineIds.MarketMaker };
        foreach (var (instrument, pos) in bankrupt.Positions)
        {
            if (pos.Size != 0m && (isolatedInstrument is null || isolatedInstrument == instrument))
            {
                _candidatesAsOf.TryAdd((instrument, -Math.Sign(pos.Size)), _changes.Count);
            }
        }

        // A fund that can pay nothing (empty, or switched off) leaves any deficit to ADL or socialized loss, which need
        // the candidates; without a deficit they are left untouched and the result is the same as without them. The
        // first pass is then skipped: deep in a crash the fund is empty and every bankruptcy would run both.
        var w = model.Risk.Waterfall;
        var fundCanPay = w.UseInsuranceFund && InsuranceFund * w.InsuranceMaxShare > 0m;
        var (before, result) = fundCanPay ? Waterfall(id, isolatedInstrument, members, ports) : WithCandidates();
        if (fundCanPay && result.Deficit > result.InsurancePaid)
        {
            (before, result) = WithCandidates();
        }

        var adlIds = new HashSet<string>(result.Adl.Select(f => f.AccountId), StringComparer.Ordinal);
        foreach (var m in members)
        {
            var after = result.Book.Account(EngineIds.RiskId(m));
            if (!after.Equals(before[m]))
            {
                var role = m == id ? "bankrupt" : adlIds.Contains(EngineIds.RiskId(m)) || m == EngineIds.MarketMaker ? "counterparty" : "payer";
                EmitAccount(ports, m, AccountLogic.SettledEvent(round, role, after));
                touched.Add(m);
            }
        }

        foreach (var (asset, amount) in bankrupt.Balances)
        {
            if (asset != _settings.SettlementAsset && amount > 0m && result.Book.Account(EngineIds.RiskId(id)).Balance(asset) == 0m)
            {
                SeizedValue += amount * prices.Price(asset) / prices.Price(_settings.SettlementAsset);
                SeizedAmounts[asset] = (SeizedAmounts.TryGetValue(asset, out var seized) ? seized : 0m) + amount;
            }
        }

        // A close-out is market flow too: what the market maker (the book) absorbed moves the mark with the round's
        // partial liquidations; positions moved to ADL counterparties are off-market and do not.
        var mmBefore = before[EngineIds.MarketMaker];
        var mmAfter = result.Book.Account(EngineIds.RiskId(EngineIds.MarketMaker));
        foreach (var (instrument, pos) in bankrupt.Positions)
        {
            if (pos.Size == 0m || (isolatedInstrument is not null && isolatedInstrument != instrument))
            {
                continue;
            }

            var absorbed = (mmAfter.Positions.TryGetValue(instrument, out var a) ? a.Size : 0m) - (mmBefore.Positions.TryGetValue(instrument, out var b) ? b.Size : 0m);
            if (absorbed != 0m)
            {
                var spec = model.Catalog.Instrument(instrument);
                var baseQty = PositionMath.UnderlyingSize(spec, Math.Abs(absorbed), prices.Mark(instrument));
                flow[instrument] = (flow.TryGetValue(instrument, out var f) ? f : 0m) - (Math.Sign(absorbed) * baseQty);
            }
        }

        InsuranceFund = result.Book.InsuranceFund;
        FeePool = result.Book.FeePool;
        var notional = 0m;
        foreach (var (instrument, pos) in bankrupt.Positions)
        {
            if (pos.Size != 0m && (isolatedInstrument is null || isolatedInstrument == instrument))
            {
                var spec = model.Catalog.Instrument(instrument);
                notional += PositionMath.Notional(spec, pos.Size, prices.Mark(instrument)) * prices.Price(spec.SettlementAsset);
            }
        }

        var adlNotional = result.Adl.Sum(f => PositionMath.Notional(model.Catalog.Instrument(f.InstrumentId), f.SizeDelta, f.Price));
        ports.Emit(new BankruptcyResolved(round, id, isolatedInstrument, notional, result.Deficit, result.LiquidationFee, result.InsurancePaid,
            result.Adl.Length, adlNotional, result.AdlCharged, result.Socialized, result.Unassigned, InsuranceFund, FeePool));

        (Dictionary<long, Account>, WaterfallResult) WithCandidates()
        {
            foreach (var (instrument, pos) in bankrupt.Positions)
            {
                if (pos.Size != 0m && (isolatedInstrument is null || isolatedInstrument == instrument))
                {
                    members.UnionWith(Candidates(instrument, -Math.Sign(pos.Size), ports));
                }
            }

            return Waterfall(id, isolatedInstrument, members, ports);
        }
    }

    /// <summary>Emits an account event of this round, logging the account's state before it (see <see cref="Candidates"/>).</summary>
    private void EmitAccount(ILiquidationPorts ports, long id, AccountEvent e)
    {
        _changes.Add((id, ports.Account(id).Account));
        ports.Emit(id, e);
    }

    private (Dictionary<long, Account> Before, WaterfallResult Result) Waterfall(long id, string? isolatedInstrument, SortedSet<long> members, ILiquidationPorts ports)
    {
        var before = members.ToDictionary(m => m, m => ports.Account(m).Account);
        var book = Book.Create(_settings.SettlementAsset, before.Values, InsuranceFund) with { FeePool = FeePool };
        return (before, LossWaterfall.Resolve(book, ports.Model.Catalog, ports.Prices, ports.Model.Risk, EngineIds.RiskId(id), isolatedInstrument));
    }

    /// <summary>
    /// The most profitable accounts holding <paramref name="instrument"/> on side <paramref name="side"/> (+1 long, −1
    /// short), at most the configured count, as they were at the round's first bankruptcy on that instrument and side.
    /// </summary>
    private List<long> Candidates(string instrument, int side, ILiquidationPorts ports)
    {
        _adlCandidates ??= new Dictionary<(string, int), List<long>>();
        if (_adlCandidates.TryGetValue((instrument, side), out var cached))
        {
            return cached;
        }

        // Accounts changed since that point are read as they were then: the first logged state from there on.
        Dictionary<long, Account>? asOf = null;
        for (var k = _candidatesAsOf.TryGetValue((instrument, side), out var from) ? from : _changes.Count; k < _changes.Count; k++)
        {
            asOf ??= new Dictionary<long, Account>();
            asOf.TryAdd(_changes[k].Id, _changes[k].Before);
        }

        var spec = ports.Model.Catalog.Instrument(instrument);
        var mark = ports.Prices.Mark(instrument);
        var top = new TopCandidates(_settings.AdlCandidatesPerSide);
        void Consider(long id, Position? p)
        {
            if (id != EngineIds.MarketMaker && p is not null && Math.Sign(p.Size) == side)
            {
                top.Offer(PositionMath.UnrealizedPnl(spec, p, mark), id);
            }
        }

        if (ports.HolderIndex is { } index)
        {
            // Today's holders that did not change since, narrowed to the contenders (exactly ranked below); then every
            // account that changed since, as it was then.
            var contenders = new List<(long Id, Position Position)>();
            index.Contenders(instrument, side, spec, mark, _settings.AdlCandidatesPerSide, EngineIds.MarketMaker, asOf?.Keys.ToHashSet(), contenders);
            foreach (var (id, position) in contenders)
            {
                Consider(id, position);
            }

            if (asOf is not null)
            {
                foreach (var (id, then) in asOf)
                {
                    Consider(id, then.Positions.GetValueOrDefault(instrument));
                }
            }

            return _adlCandidates[(instrument, side)] = top.Ranked();
        }

        // Today's holders, read as they were at that point when they changed since; then the accounts that changed since
        // and held the side then but no longer do (they are not among today's holders).
        HashSet<long>? seen = asOf is null ? null : new HashSet<long>();
        foreach (var (id, position) in ports.Holders(instrument, side))
        {
            if (asOf is not null && asOf.TryGetValue(id, out var then))
            {
                seen!.Add(id);
                Consider(id, then.Positions.GetValueOrDefault(instrument));
            }
            else
            {
                Consider(id, position);
            }
        }

        if (asOf is not null)
        {
            foreach (var (id, then) in asOf)
            {
                if (!seen!.Contains(id))
                {
                    Consider(id, then.Positions.GetValueOrDefault(instrument));
                }
            }
        }

        var list = top.Ranked();
        _adlCandidates[(instrument, side)] = list;
        return list;
    }

    /// <summary>The order rounds serve requests in: worst state first, then highest severity, then lowest account id.</summary>
    private sealed class ServeOrder : IComparer<(RiskState State, decimal Severity, long Id)>
    {
        public static readonly ServeOrder Instance = new();

        public int Compare((RiskState State, decimal Severity, long Id) a, (RiskState State, decimal Severity, long Id) b) =>
            a.State != b.State ? b.State.CompareTo(a.State) : a.Severity != b.Severity ? b.Severity.CompareTo(a.Severity) : a.Id.CompareTo(b.Id);
    }
}
