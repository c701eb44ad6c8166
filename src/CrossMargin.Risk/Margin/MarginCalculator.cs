using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Margin;

/// <summary>
/// Hot-path cross-margin calculator for one account: caches each position's uPnL, MM, IM and notional so a tick on
/// one instrument re-margins in O(1) (<see cref="UpdateMark"/>); <see cref="Recompute"/> rebuilds everything and must
/// agree exactly with <see cref="MarginEngine.Evaluate"/>.
/// </summary>
/// <remarks>
/// Mutable and not thread-safe: one owner (the account actor) uses it; rebuild it from the immutable
/// <see cref="Account"/> after every fill or balance change. Cross mode only (isolated and portfolio accounts use
/// <see cref="MarginEngine"/>). Money in the valuation asset.
/// </remarks>
public sealed class MarginCalculator
{
    private readonly InstrumentSpec[] specs;
    private readonly string[] ids;
    private readonly decimal[] signedQcs;
    private readonly decimal[] absQcs;
    private readonly decimal[] scaledCost;
    private readonly decimal[] mark;
    private readonly decimal[] settlePrice;
    private readonly BracketTable?[] tables;
    private readonly int[] bracket;
    private readonly decimal[] upnl;
    private readonly decimal[] mm;
    private readonly decimal[] im;
    private readonly decimal[] notional;
    private readonly Account account;
    private readonly RiskCatalog catalog;
    private MarketPrices prices;

    /// <summary>Builds the cache for a cross-mode <paramref name="account"/> at <paramref name="prices"/>.</summary>
    public MarginCalculator(Account account, RiskCatalog catalog, MarketPrices prices)
    {
        if (account.Mode != MarginMode.Cross)
        {
            throw new RiskInputException("account.mode", account.Mode.ToString(), "the incremental calculator supports cross mode only");
        }

        this.account = account;
        this.catalog = catalog;
        this.prices = prices;
        var n = account.Positions.Count;
        (specs, ids, signedQcs, absQcs, scaledCost, mark, settlePrice) = (new InstrumentSpec[n], new string[n], new decimal[n], new decimal[n], new decimal[n], new decimal[n], new decimal[n]);
        (tables, bracket, upnl, mm, im, notional) = (new BracketTable?[n], new int[n], new decimal[n], new decimal[n], new decimal[n], new decimal[n]);
        var i = 0;
        foreach (var (id, pos) in account.Positions)
        {
            specs[i] = catalog.Instrument(id);
            ids[i] = id;
            signedQcs[i] = pos.Size * specs[i].ContractSize;
            absQcs[i] = Math.Abs(signedQcs[i]);
            scaledCost[i] = specs[i].ContractSize * pos.Cost;
            tables[i] = specs[i].Kind == InstrumentKind.LinearPerpetual ? specs[i].Margin as BracketTable : null;
            i++;
        }

        Recompute();
    }

    /// <summary>Number of positions.</summary>
    public int Count => ids.Length;

    /// <summary>Σ haircut-weighted collateral.</summary>
    public decimal Collateral { get; private set; }

    /// <summary>Σ uPnL.</summary>
    public decimal UnrealizedPnl { get; private set; }

    /// <summary>Equity = collateral + Σ uPnL.</summary>
    public decimal Equity => Collateral + UnrealizedPnl;

    /// <summary>Σ MM.</summary>
    public decimal Maintenance { get; private set; }

    /// <summary>Σ IM.</summary>
    public decimal Initial { get; private set; }

    /// <summary>Σ notional.</summary>
    public decimal Notional { get; private set; }

    /// <summary>Index of <paramref name="instrumentId"/> for <see cref="UpdateMark"/>, or −1 when the account holds none.</summary>
    public int IndexOf(string instrumentId) => Array.IndexOf(ids, instrumentId);

    /// <summary>Applies a new mark to position <paramref name="index"/>, updating only its terms and the totals.</summary>
    public void UpdateMark(int index, decimal newMark)
    {
        if (newMark <= 0m)
        {
            throw new RiskInputException($"mark[{ids[index]}]", Guard.Text(newMark), "must be greater than zero");
        }

        var (u, m, i, n) = (upnl[index], mm[index], im[index], notional[index]);
        mark[index] = newMark;
        Terms(index);
        UnrealizedPnl += upnl[index] - u;
        Maintenance += mm[index] - m;
        Initial += im[index] - i;
        Notional += notional[index] - n;
    }

    /// <summary>Applies a new asset price (collateral or settlement asset): a full recompute.</summary>
    public void UpdateAssetPrice(string asset, decimal price)
    {
        prices = prices.WithPrice(asset, price);
        Recompute();
    }

    /// <summary>Recomputes every term from scratch (verification path).</summary>
    public void Recompute()
    {
        Collateral = MarginEngine.CollateralValue(account, catalog, prices.Price);
        decimal u = 0m, m = 0m, i = 0m, n = 0m;
        for (var k = 0; k < ids.Length; k++)
        {
            if (mark[k] == 0m)
            {
                mark[k] = prices.Mark(ids[k]);
            }

            settlePrice[k] = prices.Price(specs[k].SettlementAsset);
            Terms(k);
            u += upnl[k];
            m += mm[k];
            i += im[k];
            n += notional[k];
        }

        (UnrealizedPnl, Maintenance, Initial, Notional) = (u, m, i, n);
    }

    /// <summary>State with hysteresis from <paramref name="previous"/>.</summary>
    public RiskState Classify(RiskState previous, RiskThresholds thresholds) =>
        RiskStateMachine.Classify(Equity, Maintenance, Notional, previous, thresholds);

    private void Terms(int k)
    {
        var ps = settlePrice[k];
        if (tables[k] is { } table)
        {
            // Linear + brackets: the common case, kept to a handful of decimal operations.
            var x = mark[k];
            var nSettle = absQcs[k] * x;
            var j = bracket[k];
            var b = table.Brackets[j];
            if (nSettle > b.NotionalCap || (j > 0 && nSettle <= b.NotionalFloor))
            {
                j = table.IndexOf(nSettle);
                bracket[k] = j;
            }

            var req = table.At(j, nSettle);
            var uSettle = (signedQcs[k] * x) - scaledCost[k];
            if (ps == 1m)
            {
                (upnl[k], mm[k], im[k], notional[k]) = (uSettle, req.Maintenance, req.Initial, nSettle);
            }
            else
            {
                (upnl[k], mm[k], im[k], notional[k]) = (uSettle * ps, req.Maintenance * ps, req.Initial * ps, nSettle * ps);
            }

            return;
        }

        var r = MarginEngine.PositionTerms(specs[k], account.Positions[ids[k]], mark[k], ps, MarginMode.Cross);
        (upnl[k], mm[k], im[k], notional[k]) = (r.UnrealizedPnl, r.Maintenance, r.Initial, r.Notional);
    }
}
