namespace CrossMargin.Engine.Market;

/// <summary>Side of an aggressive order hitting the book: a sell pushes the price down, a buy pushes it up.</summary>
public enum TradeSide
{
    /// <summary>Taker buys; consumes asks; the price rises.</summary>
    Buy,

    /// <summary>Taker sells; consumes bids; the price falls.</summary>
    Sell,
}
