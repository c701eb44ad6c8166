using System.Collections.Immutable;
using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Model;

/// <summary>
/// Marks per instrument (quote per base unit) and prices per asset (valuation asset per unit). Immutable; every price
/// is checked positive on entry.
/// </summary>
public sealed record MarketPrices
{
    /// <summary>Creates a snapshot; throws <see cref="RiskInputException"/> on a zero or negative price.</summary>
    public MarketPrices(IEnumerable<KeyValuePair<string, decimal>> marks, IEnumerable<KeyValuePair<string, decimal>> assetPrices)
    {
        Marks = marks.ToImmutableSortedDictionary(kv => kv.Key, kv => Guard.Positive(kv.Value, $"mark[{kv.Key}]"), StringComparer.Ordinal);
        AssetPrices = assetPrices.ToImmutableSortedDictionary(kv => kv.Key, kv => Guard.Positive(kv.Value, $"price[{kv.Key}]"), StringComparer.Ordinal);
    }

    /// <summary>Mark price per instrument.</summary>
    public ImmutableSortedDictionary<string, decimal> Marks { get; private init; }

    /// <summary>Price per asset in the valuation asset.</summary>
    public ImmutableSortedDictionary<string, decimal> AssetPrices { get; private init; }

    /// <summary>Mark of <paramref name="instrumentId"/>; throws when missing.</summary>
    public decimal Mark(string instrumentId) =>
        Marks.TryGetValue(instrumentId, out var m) ? m : throw new RiskInputException("mark", instrumentId, "no mark price for this instrument");

    /// <summary>Price of <paramref name="asset"/>; throws when missing.</summary>
    public decimal Price(string asset) =>
        AssetPrices.TryGetValue(asset, out var p) ? p : throw new RiskInputException("price", asset, "no price for this asset");

    /// <summary>Copy with one mark replaced (checked positive).</summary>
    public MarketPrices WithMark(string instrumentId, decimal mark) =>
        this with { Marks = Marks.SetItem(instrumentId, Guard.Positive(mark, $"mark[{instrumentId}]")) };

    /// <summary>Copy with one asset price replaced (checked positive).</summary>
    public MarketPrices WithPrice(string asset, decimal price) =>
        this with { AssetPrices = AssetPrices.SetItem(asset, Guard.Positive(price, $"price[{asset}]")) };
}
