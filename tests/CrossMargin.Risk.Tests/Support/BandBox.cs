using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Tests.Support;

/// <summary>Price vectors on the box a <see cref="RiskBandSet"/> spans, where a too-wide band shows first.</summary>
internal static class BandBox
{
    /// <summary>
    /// Every corner of the box (all marks and asset prices at an edge at once: all 2^k up to k = 7, else 128 random
    /// ones), the first 16 corners again a hair inside, then each price alone at either edge, others at the centre.
    /// </summary>
    public static IEnumerable<MarketPrices> EdgePoints(MarketPrices prices, RiskBandSet bands, System.Random rng)
    {
        var dims = bands.Marks.Select(kv => (Mark: true, kv.Key, Band: kv.Value))
            .Concat(bands.AssetPrices.Select(kv => (Mark: false, kv.Key, Band: kv.Value))).ToList();
        MarketPrices At(Func<int, decimal?> pick)
        {
            var moved = prices;
            for (var i = 0; i < dims.Count; i++)
            {
                if (pick(i) is { } v)
                {
                    moved = dims[i].Mark ? moved.WithMark(dims[i].Key, v) : moved.WithPrice(dims[i].Key, v);
                }
            }

            return moved;
        }

        static decimal Hair(PriceBand b) => (b.High - b.Low) / 1_000m;

        var corners = dims.Count <= 7 ? 1 << dims.Count : 128;
        for (var c = 0; c < corners; c++)
        {
            var bits = dims.Count <= 7 ? c : rng.Next();
            yield return At(i => (bits >> i & 1) == 0 ? dims[i].Band.Low : dims[i].Band.High);
            if (c < 16)
            {
                yield return At(i => (bits >> i & 1) == 0 ? dims[i].Band.Low + Hair(dims[i].Band) : dims[i].Band.High - Hair(dims[i].Band));
            }
        }

        for (var k = 0; k < dims.Count; k++)
        {
            yield return At(i => i == k ? dims[i].Band.Low : null);
            yield return At(i => i == k ? dims[i].Band.High : null);
        }
    }
}
