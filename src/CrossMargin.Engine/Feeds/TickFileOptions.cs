namespace CrossMargin.Engine.Feeds;

/// <summary>Options for reading market-data files. Immutable.</summary>
public sealed record TickFileOptions
{
    /// <summary>Defaults: strict (first bad row throws), no symbol mapping, klines as close at close time.</summary>
    public static TickFileOptions Default { get; } = new();

    /// <summary>When true, bad rows are skipped and counted (<see cref="TickFile.SkippedRows"/>) instead of throwing.</summary>
    public bool SkipBadRows { get; init; }

    /// <summary>Maps file symbols to instruments (e.g. <c>BTCUSDT → BTC-PERP</c>); symbols not in the map pass through. Ordinal keys.</summary>
    public IReadOnlyDictionary<string, string>? SymbolMap { get; init; }

    /// <summary>
    /// Symbol for layouts without a symbol column (Binance klines and trades). Default: the file name up to its first
    /// '-' (<c>BTCUSDT-5m-2025-10-10.csv → BTCUSDT</c>). The symbol map applies to it as well.
    /// </summary>
    public string? Symbol { get; init; }

    /// <summary>Which kline price becomes the tick.</summary>
    public KlinePrice KlinePrice { get; init; } = KlinePrice.CloseAtCloseTime;

    /// <summary>How many skipped-row errors to keep in <see cref="TickFile.SkippedErrors"/> (the count is always exact).</summary>
    public int MaxRecordedErrors { get; init; } = 100;

    /// <summary>The instrument for <paramref name="symbol"/> after mapping.</summary>
    public string Map(string symbol) =>
        SymbolMap is not null && SymbolMap.TryGetValue(symbol, out string? mapped) ? mapped : symbol;
}
