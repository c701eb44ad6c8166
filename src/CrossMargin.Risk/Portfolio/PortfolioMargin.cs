using System.Collections.Immutable;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Portfolio;

/// <summary>Worst loss of one correlation group and the shock that produced it.</summary>
/// <param name="Group">Group name.</param>
/// <param name="WorstLoss">max(0, worst scenario loss), valuation asset.</param>
/// <param name="WorstShock">Relative move of the worst scenario.</param>
/// <param name="Scenarios">Number of scenarios scanned (price points × vol states + 2 extreme).</param>
public sealed record GroupRisk(string Group, decimal WorstLoss, decimal WorstShock, int Scenarios);

/// <summary>Portfolio-margin result (valuation asset).</summary>
/// <param name="Groups">Per-group scan results, ordered by name.</param>
/// <param name="Floor">Σ position-floor-rate × notional.</param>
/// <param name="Maintenance">Σ group losses + floor.</param>
/// <param name="Initial">initial-multiplier × MM.</param>
public sealed record PortfolioMarginResult(ImmutableArray<GroupRisk> Groups, decimal Floor, decimal Maintenance, decimal Initial);

/// <summary>
/// SPAN-style scan: every group's assets move together by each shock (no offset across groups); the account is fully
/// revalued (haircut collateral + uPnL) under each scenario. Sources: CME SPAN 16-scenario array; Deribit PM ±16% in 9
/// buckets × 3 vol states; Bybit/OKX "MM = max stress loss + contingencies, IM = MM × factor".
/// </summary>
public static class PortfolioMargin
{
    /// <summary>Computes MM and IM for <paramref name="account"/> at <paramref name="prices"/>.</summary>
    public static PortfolioMarginResult Compute(Account account, RiskCatalog catalog, MarketPrices prices, PortfolioMarginConfig config)
    {
        var groups = GroupsOf(account, catalog, config);
        var e0 = MarginEngine.CrossEquity(account, catalog, prices.Mark, prices.Price);
        var results = ImmutableArray.CreateBuilder<GroupRisk>(groups.Count);
        var total = 0m;
        foreach (var (name, (assets, range)) in groups)
        {
            decimal worst = 0m, worstShock = 0m;
            foreach (var (shock, weight) in Shocks(range, config))
            {
                var es = MarginEngine.CrossEquity(account, catalog,
                    id => assets.Contains(catalog.Instrument(id).Underlying) ? prices.Mark(id) * (1m + shock) : prices.Mark(id),
                    a => assets.Contains(a) ? prices.Price(a) * (1m + shock) : prices.Price(a));
                var loss = (e0 - es) * weight;
                if (loss > worst)
                {
                    worst = loss;
                    worstShock = shock;
                }
            }

            results.Add(new GroupRisk(name, worst, worstShock, (config.Buckets * config.VolStates) + 2));
            total += worst;
        }

        var floor = 0m;
        foreach (var (id, pos) in account.Positions)
        {
            var spec = catalog.Instrument(id);
            var mark = prices.Mark(id);
            _ = PositionMath.Requirement(spec, pos.Size, mark); // enforces the instrument's size limits
            floor += config.PositionFloorRate * PositionMath.Notional(spec, pos.Size, mark) * prices.Price(spec.SettlementAsset);
        }

        var mm = total + floor;
        return new PortfolioMarginResult(results.ToImmutable(), floor, mm, mm * config.InitialMultiplier);
    }

    /// <summary>Scenario shocks of one group with the weight each loss counts at (vol states repeat a price point).</summary>
    public static IEnumerable<(decimal Shock, decimal Weight)> Shocks(decimal range, PortfolioMarginConfig config)
    {
        for (var k = 0; k < config.Buckets; k++)
        {
            var shock = -range + (2m * range * k / (config.Buckets - 1));
            // Perpetuals carry no vega: every vol state gives the same loss, so one evaluation stands for all of them.
            yield return (shock, 1m);
        }

        yield return (-config.ExtremeMultiple * range, config.ExtremeCoverage);
        yield return (config.ExtremeMultiple * range, config.ExtremeCoverage);
    }

    /// <summary>Groups the account's exposures: configured groups plus one group per ungrouped, non-stable asset.</summary>
    public static SortedDictionary<string, (HashSet<string> Assets, decimal Range)> GroupsOf(Account account, RiskCatalog catalog, PortfolioMarginConfig config)
    {
        var exposed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (id, pos) in account.Positions)
        {
            var spec = catalog.Instrument(id);
            exposed.Add(spec.Underlying);
            exposed.Add(spec.SettlementAsset);
        }

        foreach (var (asset, balance) in account.Balances)
        {
            if (balance != 0m)
            {
                exposed.Add(asset);
            }
        }

        var result = new SortedDictionary<string, (HashSet<string>, decimal)>(StringComparer.Ordinal);
        foreach (var asset in exposed)
        {
            if (config.Stable.Contains(asset))
            {
                continue;
            }

            var group = config.Groups.FirstOrDefault(g => g.Assets.Contains(asset));
            var name = group?.Name ?? asset;
            if (!result.TryGetValue(name, out var entry))
            {
                entry = (new HashSet<string>(group?.Assets ?? [asset], StringComparer.Ordinal), group?.Range ?? config.DefaultRange);
                result[name] = entry;
            }
        }

        return result;
    }
}
