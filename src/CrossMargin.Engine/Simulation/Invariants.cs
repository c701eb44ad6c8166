using System.Globalization;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Reporting;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// The end-of-run checks: money conservation, long OI = short OI, no bankrupt account with an unassigned loss. The
/// direct engine passes its <see cref="EngineHost"/>; the actor engine passes its accounts, coordinator view and
/// metrics. (The fourth invariant, contiguous sequence numbers, is checked on the journal by <c>JournalVerifier</c>.)
/// </summary>
public static class Invariants
{
    /// <summary>Tolerance of the money check (settlement units): divisions in cost-basis splits round at the 28th digit.</summary>
    public const decimal MoneyTolerance = 0.000001m;

    /// <summary>Checks the in-memory state of <paramref name="host"/>.</summary>
    public static IReadOnlyList<InvariantResult> Check(EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return [Money(host), OpenInterest(host), Unassigned(host)];
    }

    /// <summary>
    /// Checks what the actor engine reports at the end of a run: every account's state (<c>ActorEngine.Accounts()</c>),
    /// the coordinator's <paramref name="view"/> and the metrics sink's figures. Same names and evidence as
    /// <see cref="Check(EngineHost)"/>. Call after the engine has settled; the arguments are read, never changed.
    /// </summary>
    /// <param name="model">The run's model (catalog and risk settings).</param>
    /// <param name="prices">The final marks and asset prices.</param>
    /// <param name="accounts">Every account (the market maker included).</param>
    /// <param name="view">The coordinator's fund, fee pool and seized collateral.</param>
    /// <param name="settlementAsset">The asset the fund and fee pool are held in (the scenario's insurance-fund asset).</param>
    /// <param name="metrics">Net deposits, the fund's seed and the waterfall's unassigned losses.</param>
    public static IReadOnlyList<InvariantResult> Check(EngineModel model, MarketPrices prices, IReadOnlyList<EngineAccount> accounts, CoordinatorView view,
        string settlementAsset, RunMetrics metrics) =>
        [Money(model, prices, accounts, view, settlementAsset, metrics), OpenInterest(model, accounts), Unassigned(model, prices, accounts, metrics)];

    /// <summary>
    /// Per asset: what accounts, the insurance fund and the fee pool hold (balances, isolated margins, uPnL of instruments
    /// settled in it) equals what was deposited, plus the fund's seed and the value of seized collateral, minus withdrawals.
    /// </summary>
    public static InvariantResult Money(EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var c = host.Coordinator;
        return Money(host.Model, host.Prices, host.Accounts(), c.Settings.SettlementAsset, c.InsuranceFund, c.FeePool, c.SeizedValue, c.SeizedAmounts, host.Metrics);
    }

    /// <summary>The money check on the actor engine's state (see <see cref="Check(EngineModel, MarketPrices, IReadOnlyList{EngineAccount}, CoordinatorView, string, RunMetrics)"/>).</summary>
    public static InvariantResult Money(EngineModel model, MarketPrices prices, IReadOnlyList<EngineAccount> accounts, CoordinatorView view, string settlementAsset,
        RunMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Money(model, prices, accounts, settlementAsset, view.InsuranceFund, view.FeePool, view.SeizedValue, view.SeizedAmounts, metrics);
    }

    private static InvariantResult Money(EngineModel model, MarketPrices prices, IEnumerable<EngineAccount> accounts, string fundAsset, decimal fund, decimal feePool,
        decimal seizedValue, IEnumerable<KeyValuePair<string, decimal>> seizedAmounts, RunMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(metrics);
        var held = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        void Add(string asset, decimal amount) => held[asset] = (held.TryGetValue(asset, out var v) ? v : 0m) + amount;
        foreach (var a in accounts)
        {
            foreach (var (asset, b) in a.Account.Balances)
            {
                Add(asset, b);
            }

            foreach (var (id, p) in a.Account.Positions)
            {
                var spec = model.Catalog.Instrument(id);
                Add(spec.SettlementAsset, p.IsolatedMargin + PositionMath.UnrealizedPnl(spec, p, prices.Mark(id)));
            }
        }

        Add(fundAsset, fund + feePool);
        var expected = new SortedDictionary<string, decimal>(metrics.NetDeposits, StringComparer.Ordinal);
        void Expect(string asset, decimal amount) => expected[asset] = (expected.TryGetValue(asset, out var v) ? v : 0m) + amount;
        Expect(fundAsset, metrics.FundStart + seizedValue);
        foreach (var (asset, amount) in seizedAmounts)
        {
            Expect(asset, -amount);
        }

        var bad = new List<string>();
        foreach (var asset in held.Keys.Union(expected.Keys).Order(StringComparer.Ordinal))
        {
            var h = held.TryGetValue(asset, out var hv) ? hv : 0m;
            var e = expected.TryGetValue(asset, out var ev) ? ev : 0m;
            if (Math.Abs(h - e) > MoneyTolerance)
            {
                bad.Add($"{asset}: held {T(h)}, expected {T(e)} (difference {T(h - e)})");
            }
        }

        var evidence = bad.Count > 0 ? string.Join("; ", bad)
            : string.Join("; ", held.Select(kv => $"{kv.Key} {T(kv.Value)}")) + $" (fund {T(fund)}, fee pool {T(feePool)})";
        return new InvariantResult("money-conservation", bad.Count == 0, evidence);
    }

    /// <summary>Σ long size = Σ short size per instrument (the market maker included).</summary>
    public static InvariantResult OpenInterest(EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return OpenInterest(host.Model, host.Accounts());
    }

    /// <summary>Σ long size = Σ short size per instrument over <paramref name="accounts"/> (the market maker included).</summary>
    public static InvariantResult OpenInterest(EngineModel model, IEnumerable<EngineAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accounts);
        var longs = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var shorts = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var i in model.Catalog.Instruments.Keys)
        {
            longs[i] = 0m;
            shorts[i] = 0m;
        }

        foreach (var a in accounts)
        {
            foreach (var (id, p) in a.Account.Positions)
            {
                if (p.Size > 0m)
                {
                    longs[id] += p.Size;
                }
                else
                {
                    shorts[id] -= p.Size;
                }
            }
        }

        var bad = longs.Where(kv => kv.Value != shorts[kv.Key]).Select(kv => $"{kv.Key}: long {T(kv.Value)} ≠ short {T(shorts[kv.Key])}").ToList();
        return new InvariantResult("open-interest-balance", bad.Count == 0,
            bad.Count > 0 ? string.Join("; ", bad) : string.Join("; ", longs.Select(kv => $"{kv.Key} {T(kv.Value)}")));
    }

    /// <summary>Every waterfall assigned its whole loss, and no account ends with negative equity unresolved.</summary>
    public static InvariantResult Unassigned(EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Unassigned(host.Model, host.Prices, host.Accounts(), host.Metrics);
    }

    /// <summary>
    /// The unassigned-loss check over <paramref name="accounts"/> at <paramref name="prices"/>, with the waterfalls'
    /// unassigned losses from <paramref name="metrics"/>; the market maker (<see cref="EngineIds.MarketMaker"/>) is exempt.
    /// </summary>
    public static InvariantResult Unassigned(EngineModel model, MarketPrices prices, IEnumerable<EngineAccount> accounts, RunMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(metrics);
        var bad = new List<string>(metrics.UnassignedEvidence);
        foreach (var a in accounts)
        {
            if (a.Id == EngineIds.MarketMaker)
            {
                continue;
            }

            var risk = MarginEngine.Evaluate(a.Account, model.Catalog, prices, model.Risk.Portfolio);
            var negative = a.Account.Mode == CrossMargin.Risk.Model.MarginMode.Isolated
                ? risk.CollateralValue < 0m || risk.Positions.Any(p => (p.IsolatedEquity ?? 0m) < 0m)
                : risk.Equity < 0m;
            if (negative && bad.Count < 20)
            {
                bad.Add($"account {a.Id} ends with negative equity {T(risk.Equity)} ({a.State}) and no waterfall assigned it");
            }
        }

        return new InvariantResult("no-unassigned-loss", bad.Count == 0 && metrics.Unassigned == 0m,
            bad.Count > 0 ? string.Join("; ", bad) : $"bad debt {T(metrics.BadDebt)} fully assigned");
    }

    private static string T(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
