using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Scenarios;

/// <summary>Which mark-price model a feed runs (HOCON <c>mark.model</c>: <c>index</c>, <c>index-ema-basis</c>, <c>median-of-three</c>).</summary>
public enum MarkModelKind
{
    /// <summary>Mark = index (<see cref="IndexMarkModel"/>).</summary>
    Index,

    /// <summary>Mark = index + EMA of the basis (<see cref="IndexEmaBasisMarkModel"/>).</summary>
    IndexEmaBasis,

    /// <summary>Binance's median of three (<see cref="MedianOfThreeMarkModel"/>).</summary>
    MedianOfThree,
}
