namespace CrossMargin.Engine.Feeds;

/// <summary>Layouts <see cref="TickFile"/> reads (see docs/market-data.md for the columns).</summary>
public enum TickFileFormat
{
    /// <summary>Detect from the header row, or from the column count when there is no header.</summary>
    Auto,

    /// <summary><c>time,symbol,price[,volume]</c>, header optional.</summary>
    Plain,

    /// <summary>Binance kline: <c>open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore</c>, header optional.</summary>
    BinanceKline,

    /// <summary>Binance trades: <c>id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]</c>, header optional.</summary>
    BinanceTrades,

    /// <summary>Gemini trades (Tardis layout): <c>exchange,symbol,timestamp,local_timestamp,id,side,price,amount</c>, timestamps in µs.</summary>
    GeminiTrades,
}
