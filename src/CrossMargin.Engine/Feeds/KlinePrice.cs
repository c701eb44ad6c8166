namespace CrossMargin.Engine.Feeds;

/// <summary>Which price of a kline becomes the tick.</summary>
public enum KlinePrice
{
    /// <summary>The close price, stamped at <c>close_time</c> (the candle's last millisecond): no look-ahead.</summary>
    CloseAtCloseTime,

    /// <summary>The open price, stamped at <c>open_time</c>.</summary>
    OpenAtOpenTime,
}
