using System.Collections.Immutable;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Waterfall;

/// <summary>An opposite position chosen to absorb part of a bankrupt position.</summary>
/// <param name="AccountId">Counterparty account.</param>
/// <param name="Rank">Its ranking score (queue rankings) or weight (pro-rata).</param>
/// <param name="Matched">Size taken from it (positive, multiple of the lot).</param>
public sealed record AdlMatch(string AccountId, decimal Rank, decimal Matched);

/// <summary>
/// ADL ranking and matching. Sources: BitMEX auto-deleveraging page (Ranking = PnL% × EffLev, or PnL% / EffLev when
/// PnL% &lt; 0; EffLev = |MarkValue| / (MarkValue − BankruptValue), PnL% = (MarkValue − AvgEntryValue) / |AvgEntryValue|);
/// Binance ADL announcement (LeveragePnL = max(0, uPnL)/max(1, WB) × MM/(WB + uPnL)); pro-rata after arXiv 2512.01112.
/// </summary>
public static class AdlSelector
{
    /// <summary>
    /// BitMEX score of a position from its uPnL (= MarkValue − AvgEntryValue), |AvgEntryValue|, |MarkValue| and the
    /// equity backing it. MarkValue − BankruptValue equals that equity (cross: account equity; isolated: the
    /// position's equity), because the bankruptcy price is where it reaches 0. Settlement-asset units throughout.
    /// </summary>
    public static decimal BitMexScore(decimal unrealizedPnl, decimal entryValueAbs, decimal markValueAbs, decimal backingEquity)
    {
        var pnlPct = unrealizedPnl / entryValueAbs;
        var effLev = backingEquity > 0m ? markValueAbs / backingEquity : 1_000_000_000m;
        return pnlPct >= 0m ? pnlPct * effLev : pnlPct / effLev;
    }

    /// <summary>Binance LeveragePnL = max(0, uPnL)/max(1, WB) × (WB + uPnL &gt; 0 ? MM/(WB + uPnL) : 0).</summary>
    public static decimal BinanceScore(decimal unrealizedPnl, decimal walletBalance, decimal maintenance)
    {
        var pnlPct = Math.Max(0m, unrealizedPnl) / Math.Max(1m, walletBalance);
        var eq = walletBalance + unrealizedPnl;
        return eq > 0m ? pnlPct * (maintenance / eq) : 0m;
    }

    /// <summary>
    /// Picks opposite positions in <paramref name="instrumentId"/> to absorb <paramref name="size"/> (the bankrupt
    /// position's signed size), excluding <paramref name="bankruptId"/>. Queue rankings walk from the top score (ties by
    /// account id); pro-rata splits by positive uPnL, rounding down to the lot and giving leftover lots in weight order.
    /// </summary>
    /// <remarks>Values portfolio-mode candidates with <see cref="Portfolio.PortfolioMarginConfig.Default"/>; use the overload
    /// taking the run's config so scores agree with the margin the accounts are actually held to.</remarks>
    public static ImmutableArray<AdlMatch> Select(Book book, RiskCatalog catalog, MarketPrices prices, string instrumentId, decimal size, string bankruptId, AdlRanking ranking) =>
        Select(book, catalog, prices, instrumentId, size, bankruptId, ranking, Portfolio.PortfolioMarginConfig.Default);

    /// <summary>
    /// As <see cref="Select(Book, RiskCatalog, MarketPrices, string, decimal, string, AdlRanking)"/>, valuing
    /// portfolio-mode candidates (equity, MM) with <paramref name="portfolio"/>, the run's scenario grid.
    /// </summary>
    public static ImmutableArray<AdlMatch> Select(Book book, RiskCatalog catalog, MarketPrices prices, string instrumentId, decimal size, string bankruptId, AdlRanking ranking, Portfolio.PortfolioMarginConfig portfolio)
    {
        var spec = catalog.Instrument(instrumentId);
        var mark = prices.Mark(instrumentId);
        var candidates = new List<(string Id, decimal Score, decimal Abs)>(book.Accounts.Count);
        foreach (var (_, a) in book.Accounts) // the dictionary's struct enumerator: .Values boxes one per call
        {
            if (a.Id == bankruptId || !a.Positions.TryGetValue(instrumentId, out var p) || p.Size == 0m || Math.Sign(p.Size) == Math.Sign(size))
            {
                continue;
            }

            var upnl = PositionMath.UnrealizedPnl(spec, p, mark);
            decimal score;
            switch (ranking)
            {
                case AdlRanking.BitMex:
                    var risk = MarginEngine.EvaluateTotals(a, catalog, prices, portfolio);
                    var backing = a.Mode == MarginMode.Isolated ? p.IsolatedMargin + upnl : risk.Equity / prices.Price(spec.SettlementAsset);
                    score = BitMexScore(upnl, spec.ContractSize * Math.Abs(p.Cost), PositionMath.Notional(spec, p.Size, mark), backing);
                    break;
                case AdlRanking.Binance:
                    var r = MarginEngine.EvaluateTotals(a, catalog, prices, portfolio);
                    var ps = prices.Price(spec.SettlementAsset);
                    score = BinanceScore(upnl, a.Balance(spec.SettlementAsset), r.Maintenance / ps);
                    break;
                default:
                    score = Math.Max(0m, upnl);
                    break;
            }

            candidates.Add((a.Id, score, Math.Abs(p.Size)));
        }

        candidates.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : string.CompareOrdinal(x.Id, y.Id));
        var need = Math.Abs(size);
        return ranking == AdlRanking.ProRata ? ProRata(candidates, need, spec.LotSize) : Queue(candidates, need);
    }

    private static ImmutableArray<AdlMatch> Queue(List<(string Id, decimal Score, decimal Abs)> candidates, decimal need)
    {
        var result = ImmutableArray.CreateBuilder<AdlMatch>(candidates.Count);
        foreach (var c in candidates)
        {
            if (need == 0m)
            {
                break;
            }

            var take = Math.Min(need, c.Abs);
            result.Add(new AdlMatch(c.Id, c.Score, take));
            need -= take;
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<AdlMatch> ProRata(List<(string Id, decimal Score, decimal Abs)> candidates, decimal need, decimal lot)
    {
        var total = candidates.Sum(c => c.Score);
        var useSize = total == 0m;
        if (useSize)
        {
            total = candidates.Sum(c => c.Abs);
        }

        var take = new decimal[candidates.Count];
        var left = need;
        for (var i = 0; i < candidates.Count && total > 0m; i++)
        {
            var w = useSize ? candidates[i].Abs : candidates[i].Score;
            take[i] = Math.Min(candidates[i].Abs, Rounding.Down(need * w / total, lot));
            left -= take[i];
        }

        for (var i = 0; i < candidates.Count && left > 0m; i++)
        {
            var extra = Math.Min(left, candidates[i].Abs - take[i]);
            take[i] += extra;
            left -= extra;
        }

        var result = ImmutableArray.CreateBuilder<AdlMatch>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (take[i] > 0m)
            {
                result.Add(new AdlMatch(candidates[i].Id, candidates[i].Score, take[i]));
            }
        }

        return result.ToImmutable();
    }
}
