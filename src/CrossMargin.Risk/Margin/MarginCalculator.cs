using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Margin;

/// <summary>
/// Hot-path cross-margin calculator for one account: caches each position's uPnL, MM, IM and notional, and each
/// asset's net amount (balance + uPnL settled in it), so a tick on one instrument re-margins in O(1)
/// (<see cref="UpdateMark"/>). <see cref="Recompute"/> rebuilds everything in the order <see cref="MarginEngine"/> uses.
/// </summary>
/// <remarks>
/// Mutable and not thread-safe: one owner (the account actor) uses it; rebuild it from the immutable
/// <see cref="Account"/> after every fill or balance change. Cross mode only (isolated and portfolio accounts use
/// <see cref="MarginEngine"/>). Money in the valuation asset. Linear contracts are exact; inverse contracts divide, so
/// incremental totals can differ from a full recompute in the 28th significant digit — call <see cref="Recompute"/>
/// periodically (e.g. on every fill) to resynchronize.
/// </remarks>
public sealed class MarginCalculator
{
    private readonly InstrumentSpec[] specs;
    private readonly string[] ids;
    private readonly Position[] positions;
    private readonly decimal[] signedQcs;
    private readonly decimal[] absQcs;
    private readonly decimal[] cost; // cost basis (not scaled: kept in PositionMath's association)
    private readonly decimal[] mark;
    private readonly BracketTable?[] tables;
    private readonly int[] bracket;
    private readonly int[] assetOf;
    private readonly bool[] unitContract;
    private readonly decimal[] uSettle;
    private readonly decimal[] upnl;
    private readonly decimal[] mm;
    private readonly decimal[] im;
    private readonly decimal[] notional;
    private readonly string[] assets;
    private readonly HaircutSchedule[] haircuts;
    private readonly decimal[] balance;
    private readonly decimal[] assetPrice;
    private readonly decimal[] net;
    private readonly decimal[] weighted;
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
        (specs, ids, positions, signedQcs, absQcs, cost, mark) = (new InstrumentSpec[n], new string[n], new Position[n], new decimal[n], new decimal[n], new decimal[n], new decimal[n]);
        (tables, bracket, assetOf, uSettle, upnl, mm, im, notional) = (new BracketTable?[n], new int[n], new int[n], new decimal[n], new decimal[n], new decimal[n], new decimal[n], new decimal[n]);
        unitContract = new bool[n];
        var assetSet = new SortedSet<string>(account.Balances.Keys, StringComparer.Ordinal);
        var i = 0;
        foreach (var (id, pos) in account.Positions)
        {
            specs[i] = catalog.Instrument(id);
            ids[i] = id;
            positions[i] = pos;
            signedQcs[i] = pos.Size * specs[i].ContractSize;
            absQcs[i] = Math.Abs(signedQcs[i]);
            cost[i] = pos.Cost;
            unitContract[i] = specs[i].ContractSize == 1m;
            tables[i] = specs[i].Kind == InstrumentKind.LinearPerpetual ? specs[i].Margin as BracketTable : null;
            assetSet.Add(specs[i].SettlementAsset);
            i++;
        }

        assets = [.. assetSet];
        haircuts = assets.Select(a => catalog.Asset(a).Haircut).ToArray();
        balance = assets.Select(account.Balance).ToArray();
        (assetPrice, net, weighted) = (new decimal[assets.Length], new decimal[assets.Length], new decimal[assets.Length]);
        for (var k = 0; k < n; k++)
        {
            assetOf[k] = Array.IndexOf(assets, specs[k].SettlementAsset);
        }

        Recompute();
    }

    /// <summary>Number of positions.</summary>
    public int Count => ids.Length;

    /// <summary>Equity = Σ_assets haircut((balance + uPnL settled in it) × price).</summary>
    public decimal Equity { get; private set; }

    /// <summary>Σ uPnL (valuation asset, before haircuts).</summary>
    public decimal UnrealizedPnl { get; private set; }

    /// <summary>Σ MM.</summary>
    public decimal Maintenance { get; private set; }

    /// <summary>Σ IM.</summary>
    public decimal Initial { get; private set; }

    /// <summary>Σ notional.</summary>
    public decimal Notional { get; private set; }

    /// <summary>Index of <paramref name="instrumentId"/> for <see cref="UpdateMark"/>, or −1 when the account holds none.</summary>
    public int IndexOf(string instrumentId) => Array.IndexOf(ids, instrumentId);

    /// <summary>Applies a new mark to position <paramref name="index"/>, updating only its terms, its asset and the totals.</summary>
    public void UpdateMark(int index, decimal newMark)
    {
        if (newMark <= 0m)
        {
            throw new RiskInputException($"mark[{ids[index]}]", Guard.Text(newMark), "must be greater than zero");
        }

        var (us, u, m, i, n) = (uSettle[index], upnl[index], mm[index], im[index], notional[index]);
        mark[index] = newMark;
        Terms(index);
        UnrealizedPnl += upnl[index] - u;
        Maintenance += mm[index] - m;
        Initial += im[index] - i;
        Notional += notional[index] - n;
        var a = assetOf[index];
        net[a] += uSettle[index] - us;
        var w = Weigh(a);
        Equity += w - weighted[a];
        weighted[a] = w;
    }

    /// <summary>Applies a new asset price (collateral or settlement asset): a full recompute.</summary>
    public void UpdateAssetPrice(string asset, decimal price)
    {
        prices = prices.WithPrice(asset, price);
        Recompute();
    }

    /// <summary>Recomputes every term from scratch (verification path; same summation order as <see cref="MarginEngine"/>).</summary>
    public void Recompute()
    {
        for (var a = 0; a < assets.Length; a++)
        {
            assetPrice[a] = prices.Price(assets[a]);
            net[a] = balance[a];
        }

        decimal u = 0m, m = 0m, i = 0m, n = 0m;
        for (var k = 0; k < ids.Length; k++)
        {
            if (mark[k] == 0m)
            {
                mark[k] = prices.Mark(ids[k]);
            }

            Terms(k);
            net[assetOf[k]] += uSettle[k];
            u += upnl[k];
            m += mm[k];
            i += im[k];
            n += notional[k];
        }

        var e = 0m;
        for (var a = 0; a < assets.Length; a++)
        {
            weighted[a] = Weigh(a);
            e += weighted[a];
        }

        (UnrealizedPnl, Maintenance, Initial, Notional, Equity) = (u, m, i, n, e);
    }

    /// <summary>State with hysteresis from <paramref name="previous"/>.</summary>
    public RiskState Classify(RiskState previous, RiskThresholds thresholds) =>
        RiskStateMachine.Classify(Equity, Maintenance, Notional, previous, thresholds);

    private decimal Weigh(int a)
    {
        var amount = net[a];
        if (amount == 0m)
        {
            return 0m;
        }

        if (haircuts[a].IsIdentity)
        {
            return assetPrice[a] == 1m ? amount : amount * assetPrice[a];
        }

        return haircuts[a].Weighted(amount * assetPrice[a]);
    }

    private void Terms(int k)
    {
        var ps = assetPrice[assetOf[k]];
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
            var raw = (positions[k].Size * x) - cost[k];
            var us = unitContract[k] ? raw : specs[k].ContractSize * raw; // same association as PositionMath
            uSettle[k] = us;
            if (ps == 1m)
            {
                (upnl[k], mm[k], im[k], notional[k]) = (us, req.Maintenance, req.Initial, nSettle);
            }
            else
            {
                (upnl[k], mm[k], im[k], notional[k]) = (us * ps, req.Maintenance * ps, req.Initial * ps, nSettle * ps);
            }

            return;
        }

        var r = MarginEngine.PositionTerms(specs[k], positions[k], mark[k], ps, MarginMode.Cross);
        uSettle[k] = PositionMath.UnrealizedPnl(specs[k], positions[k], mark[k]);
        (upnl[k], mm[k], im[k], notional[k]) = (r.UnrealizedPnl, r.Maintenance, r.Initial, r.Notional);
    }
}
