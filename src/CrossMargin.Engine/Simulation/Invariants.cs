using System.Globalization;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Reporting;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Simulation;

/// <summary>The end-of-run checks: money conservation, long OI = short OI, no bankrupt account with an unassigned loss.</summary>
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
    /// Per asset: what accounts, the insurance fund and the fee pool hold (balances, isolated margins, uPnL of instruments
    /// settled in it) equals what was deposited, plus the fund's seed and the value of seized collateral, minus withdrawals.
    /// </summary>
    public static InvariantResult Money(EngineHost host)
    {
        var model = host.Model;
        var c = host.Coordinator;
        var held = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        void Add(string asset, decimal amount) => held[asset] = (held.TryGetValue(asset, out var v) ? v : 0m) + amount;
        foreach (var a in host.Accounts())
        {
            foreach (var (asset, b) in a.Account.Balances)
            {
                Add(asset, b);
            }

            foreach (var (id, p) in a.Account.Positions)
            {
                var spec = model.Catalog.Instrument(id);
                Add(spec.SettlementAsset, p.IsolatedMargin + PositionMath.UnrealizedPnl(spec, p, host.Prices.Mark(id)));
            }
        }

        var fundAsset = c.Settings.SettlementAsset;
        Add(fundAsset, c.InsuranceFund + c.FeePool);
        var expected = new SortedDictionary<string, decimal>(host.Metrics.NetDeposits, StringComparer.Ordinal);
        void Expect(string asset, decimal amount) => expected[asset] = (expected.TryGetValue(asset, out var v) ? v : 0m) + amount;
        Expect(fundAsset, host.Metrics.FundStart + c.SeizedValue);
        foreach (var (asset, amount) in c.SeizedAmounts)
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
            : string.Join("; ", held.Select(kv => $"{kv.Key} {T(kv.Value)}")) + $" (fund {T(c.InsuranceFund)}, fee pool {T(c.FeePool)})";
        return new InvariantResult("money-conservation", bad.Count == 0, evidence);
    }

    /// <summary>Σ long size = Σ short size per instrument (the market maker included).</summary>
    public static InvariantResult OpenInterest(EngineHost host)
    {
        var longs = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var shorts = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var i in host.Model.Catalog.Instruments.Keys)
        {
            longs[i] = 0m;
            shorts[i] = 0m;
        }

        foreach (var a in host.Accounts())
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
        var bad = new List<string>(host.Metrics.UnassignedEvidence);
        foreach (var a in host.Accounts())
        {
            if (a.Id == EngineIds.MarketMaker)
            {
                continue;
            }

            var risk = MarginEngine.Evaluate(a.Account, host.Model.Catalog, host.Prices, host.Model.Risk.Portfolio);
            var negative = a.Account.Mode == CrossMargin.Risk.Model.MarginMode.Isolated
                ? risk.CollateralValue < 0m || risk.Positions.Any(p => (p.IsolatedEquity ?? 0m) < 0m)
                : risk.Equity < 0m;
            if (negative && bad.Count < 20)
            {
                bad.Add($"account {a.Id} ends with negative equity {T(risk.Equity)} ({a.State}) and no waterfall assigned it");
            }
        }

        return new InvariantResult("no-unassigned-loss", bad.Count == 0 && host.Metrics.Unassigned == 0m,
            bad.Count > 0 ? string.Join("; ", bad) : $"bad debt {T(host.Metrics.BadDebt)} fully assigned");
    }

    private static string T(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
