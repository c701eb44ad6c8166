namespace CrossMargin.Risk.Model;

/// <summary>How a perpetual contract pays: in its quote (linear) or in its base coin (inverse).</summary>
public enum InstrumentKind
{
    /// <summary>USDT-margined: size in base units × contract size, uPnL = q·cs·(M − E) in the settlement asset.</summary>
    LinearPerpetual,

    /// <summary>Coin-margined: size in contracts of face value cs (quote units), uPnL = q·cs·(1/E − 1/M) in the coin.</summary>
    InversePerpetual,
}
