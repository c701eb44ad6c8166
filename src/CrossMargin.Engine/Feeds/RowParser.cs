using System.Globalization;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>Column layouts and field parsing for <see cref="TickFile"/>.</summary>
internal sealed class RowParser
{
    private readonly string _path;
    private readonly TickFileOptions _options;
    private readonly string _fileInstrument;

    public RowParser(string path, TickFileOptions options)
    {
        _path = path;
        _options = options;
        _fileInstrument = options.Map(options.Symbol ?? FileSymbol(path));
    }

    /// <summary>The file name up to its first '-', e.g. <c>BTCUSDT</c> for <c>BTCUSDT-5m-2025-10-10.csv</c>.</summary>
    public static string FileSymbol(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        int dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? name[..dash] : name;
    }

    public static TickFileFormat Detect(string path, long line, string[] fields)
    {
        string first = fields[0].Trim().ToLowerInvariant();
        TickFileFormat? byHeader = first switch
        {
            "exchange" => TickFileFormat.GeminiTrades,
            "open_time" => TickFileFormat.BinanceKline,
            "id" => TickFileFormat.BinanceTrades,
            "time" or "timestamp" => TickFileFormat.Plain,
            _ => null,
        };
        if (byHeader is TickFileFormat known)
        {
            return known;
        }

        return fields.Length switch
        {
            12 => TickFileFormat.BinanceKline,
            8 => TickFileFormat.GeminiTrades,
            6 or 7 => TickFileFormat.BinanceTrades,
            3 or 4 => TickFileFormat.Plain,
            _ => throw new TickFileException(path, line, "row", fields.Length.ToString(CultureInfo.InvariantCulture),
                "cannot detect the layout: expected a known header or 3-4 (plain), 6-7 (Binance trades), 8 (Gemini trades) or 12 (Binance kline) columns"),
        };
    }

    public static bool IsHeader(TickFileFormat format, string[] fields)
    {
        string first = fields[0].Trim();
        return format switch
        {
            TickFileFormat.Plain => first.Equals("time", StringComparison.OrdinalIgnoreCase) || first.Equals("timestamp", StringComparison.OrdinalIgnoreCase),
            TickFileFormat.BinanceKline => first.Equals("open_time", StringComparison.OrdinalIgnoreCase),
            TickFileFormat.BinanceTrades => first.Equals("id", StringComparison.OrdinalIgnoreCase),
            TickFileFormat.GeminiTrades => first.Equals("exchange", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    public static string TimeField(TickFileFormat format, TickFileOptions options) => format switch
    {
        TickFileFormat.BinanceKline => options.KlinePrice == KlinePrice.CloseAtCloseTime ? "close_time" : "open_time",
        TickFileFormat.GeminiTrades => "timestamp",
        _ => "time",
    };

    /// <summary>Parses one data row; returns the error, or null and the tick.</summary>
    public TickFileException? TryParse(TickFileFormat format, string[] f, long line, out Tick tick)
    {
        tick = default;
        return format switch
        {
            TickFileFormat.Plain => ParsePlain(f, line, out tick),
            TickFileFormat.BinanceKline => ParseKline(f, line, out tick),
            TickFileFormat.BinanceTrades => ParseBinanceTrade(f, line, out tick),
            TickFileFormat.GeminiTrades => ParseGemini(f, line, out tick),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown tick file format."),
        };
    }

    private TickFileException? ParsePlain(string[] f, long line, out Tick tick)
    {
        tick = default;
        decimal? volume = null;
        TickFileException? error;
        if ((error = Columns(f, line, 3, 4, "time,symbol,price[,volume]")) is not null
            || (error = Time(f[0], "time", line, out DateTimeOffset time)) is not null
            || (error = Symbol(f[1], "symbol", line, out string instrument)) is not null
            || (error = Price(f[2], "price", line, out decimal price)) is not null
            || (f.Length == 4 && (error = Quantity(f[3], "volume", line, out volume)) is not null))
        {
            return error;
        }

        tick = new Tick(instrument, time, price, volume);
        return null;
    }

    private TickFileException? ParseKline(string[] f, long line, out Tick tick)
    {
        tick = default;
        bool close = _options.KlinePrice == KlinePrice.CloseAtCloseTime;
        int timeColumn = close ? 6 : 0;
        int priceColumn = close ? 4 : 1;
        TickFileException? error;
        if ((error = Columns(f, line, 12, 12, "Binance kline (12 columns)")) is not null
            || (error = Time(f[timeColumn], close ? "close_time" : "open_time", line, out DateTimeOffset time)) is not null
            || (error = Price(f[priceColumn], close ? "close" : "open", line, out decimal price)) is not null
            || (error = Quantity(f[5], "volume", line, out decimal? volume)) is not null)
        {
            return error;
        }

        tick = new Tick(_fileInstrument, time, price, volume);
        return null;
    }

    private TickFileException? ParseBinanceTrade(string[] f, long line, out Tick tick)
    {
        tick = default;
        TickFileException? error;
        if ((error = Columns(f, line, 6, 7, "Binance trades (6-7 columns)")) is not null
            || (error = Time(f[4], "time", line, out DateTimeOffset time)) is not null
            || (error = Price(f[1], "price", line, out decimal price)) is not null
            || (error = Quantity(f[2], "qty", line, out decimal? volume)) is not null)
        {
            return error;
        }

        tick = new Tick(_fileInstrument, time, price, volume);
        return null;
    }

    private TickFileException? ParseGemini(string[] f, long line, out Tick tick)
    {
        tick = default;
        TickFileException? error;
        if ((error = Columns(f, line, 8, 8, "Gemini trades (8 columns)")) is not null
            || (error = Time(f[2], "timestamp", line, out DateTimeOffset time)) is not null
            || (error = Symbol(f[1], "symbol", line, out string instrument)) is not null
            || (error = Price(f[6], "price", line, out decimal price)) is not null
            || (error = Quantity(f[7], "amount", line, out decimal? volume)) is not null)
        {
            return error;
        }

        tick = new Tick(instrument, time, price, volume);
        return null;
    }

    private TickFileException? Columns(string[] f, long line, int min, int max, string layout) =>
        f.Length >= min && f.Length <= max
            ? null
            : new TickFileException(_path, line, "row", f.Length.ToString(CultureInfo.InvariantCulture),
                $"wrong column count for {layout}: expected {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min}-{max}")}");

    private TickFileException? Time(string text, string field, long line, out DateTimeOffset time) =>
        Timestamps.TryParse(text, out time)
            ? null
            : new TickFileException(_path, line, field, text, "not a timestamp (ISO-8601 or Unix s/ms/µs/ns digits)");

    private TickFileException? Symbol(string text, string field, long line, out string instrument)
    {
        string symbol = text.Trim();
        instrument = symbol.Length == 0 ? string.Empty : _options.Map(symbol);
        return symbol.Length == 0 ? new TickFileException(_path, line, field, text, "empty symbol") : null;
    }

    private TickFileException? Price(string text, string field, long line, out decimal price)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out price))
        {
            return new TickFileException(_path, line, field, text, "not a number");
        }

        return price > 0 ? null : new TickFileException(_path, line, field, text, "price must be positive");
    }

    private TickFileException? Quantity(string text, string field, long line, out decimal? quantity)
    {
        quantity = null;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value))
        {
            return new TickFileException(_path, line, field, text, "not a number");
        }

        if (value < 0)
        {
            return new TickFileException(_path, line, field, text, "quantity must not be negative");
        }

        quantity = value;
        return null;
    }
}
