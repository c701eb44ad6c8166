using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Feeds;

public sealed class TickFileTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Plain_csv_should_accept_iso_times_and_epoch_seconds_milliseconds_and_microseconds()
    {
        string path = _files.Write("plain.csv",
            "time,symbol,price,volume",
            "2025-10-10T21:00:00Z,BTC,100.5,2",
            "2025-10-10 21:00:01,BTC,101",
            "1760130002,BTC,102,0",
            "1760130003000,ETH,4000.25,1.5",
            "",
            "1760130004000000,BTC,103.75,3",
            "2025-10-10T23:00:05+02:00,BTC,104");
        var ticks = new TickFile(path).Ticks().ToList();
        Assert.Equal(
        [
            new Tick("BTC", T, 100.5m, 2m),
            new Tick("BTC", T.AddSeconds(1), 101m),
            new Tick("BTC", T.AddSeconds(2), 102m, 0m),
            new Tick("ETH", T.AddSeconds(3), 4000.25m, 1.5m),
            new Tick("BTC", T.AddSeconds(4), 103.75m, 3m),
            new Tick("BTC", T.AddSeconds(5), 104m),
        ], ticks);
    }

    [Theory]
    [InlineData("1760130001000,BTC,abc", 3, "price", "not a number")]
    [InlineData("1760130001000,BTC,-5", 3, "price", "price must be positive")]
    [InlineData("1760130001000,BTC,0", 3, "price", "price must be positive")]
    [InlineData("1760129999000,BTC,100", 3, "time", "time goes backwards")]
    [InlineData("1760130001000,BTC", 3, "row", "wrong column count")]
    [InlineData("1760130001000,BTC,100,1,2", 3, "row", "wrong column count")]
    [InlineData("yesterday,BTC,100", 3, "time", "not a timestamp")]
    [InlineData("1760130001000,BTC,100,-1", 3, "volume", "must not be negative")]
    [InlineData("1760130001000,,100", 3, "symbol", "empty symbol")]
    public void A_bad_row_should_fail_naming_file_line_and_field(string badRow, int line, string field, string reason)
    {
        string path = _files.Write("bad.csv", "time,symbol,price", "1760130000000,BTC,100", badRow, "1760130002000,BTC,101");
        var error = Assert.Throws<TickFileException>(() => new TickFile(path).Ticks().ToList());
        Assert.Equal(path, error.FilePath);
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{line}: field '{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_bad_rows_should_skip_and_count_them()
    {
        string path = _files.Write("bad.csv",
            "time,symbol,price",
            "1760130000000,BTC,100",
            "1760130001000,BTC,abc",
            "1760129000000,BTC,100",
            "1760130002000,BTC",
            "1760130003000,BTC,101");
        var file = new TickFile(path, options: new TickFileOptions { SkipBadRows = true });
        var ticks = file.Ticks().ToList();
        Assert.Equal([100m, 101m], ticks.Select(t => t.Price));
        Assert.Equal(3, file.SkippedRows);
        Assert.Equal(2, file.TicksRead);
        Assert.Equal([3L, 4L, 5L], file.SkippedErrors.Select(e => e.Line));
    }

    [Fact]
    public void Symbol_map_should_rename_file_symbols_to_instruments()
    {
        string path = _files.Write("plain.csv", "1760130000000,BTCUSDT,100", "1760130001000,ETHUSDT,10");
        var options = new TickFileOptions { SymbolMap = new Dictionary<string, string> { ["BTCUSDT"] = "BTC-PERP" } };
        var ticks = new TickFile(path, TickFileFormat.Plain, options).Ticks().ToList();
        Assert.Equal(["BTC-PERP", "ETHUSDT"], ticks.Select(t => t.Instrument));
    }

    [Fact]
    public void Kline_should_give_the_close_at_close_time_or_the_open_at_open_time_with_the_symbol_from_the_file_name()
    {
        string[] rows =
        [
            "1760054400000,121662,121737.5,121662,121689.25,0,1760054459999,0,60,0,0,0",
            "1760054460000,121689.25,121728,121679.2,121728.5,0,1760054519999,0,60,0,0,0",
        ];
        string path = _files.Write("BTCUSD_PERP-1m-2025-10-10.csv", rows);
        var close = new TickFile(path).Ticks().ToList();
        Assert.Equal(
        [
            new Tick("BTCUSD_PERP", UnixTime.FromMicros(1760054459999_000), 121689.25m, 0m),
            new Tick("BTCUSD_PERP", UnixTime.FromMicros(1760054519999_000), 121728.5m, 0m),
        ], close);

        var open = new TickFile(path, TickFileFormat.BinanceKline, new TickFileOptions { KlinePrice = KlinePrice.OpenAtOpenTime, Symbol = "BTC-PERP" })
            .Ticks().ToList();
        Assert.Equal(new Tick("BTC-PERP", UnixTime.FromMicros(1760054400000_000), 121662m, 0m), open[0]);
        Assert.Equal(121689.25m, open[1].Price);
    }

    [Fact]
    public void Binance_trades_should_read_with_or_without_a_header()
    {
        string withHeader = _files.Write("BTCUSDT-trades-2025-10-10.csv",
            "id,price,qty,quote_qty,time,is_buyer_maker",
            "1,121000.1,0.5,60500.05,1760130000000,true",
            "2,120999.9,0.25,30249.975,1760130000123,false");
        string without = _files.Write("ETHUSDT-trades-2025-10-10.csv",
            "7,4000,1.5,6000,1760130000050,true,true");
        var ticks = new MergedTickSource([new TickFile(withHeader), new TickFile(without)]).Ticks().ToList();
        Assert.Equal(
        [
            new Tick("BTCUSDT", T, 121000.1m, 0.5m),
            new Tick("ETHUSDT", T.AddMilliseconds(50), 4000m, 1.5m),
            new Tick("BTCUSDT", T.AddMilliseconds(123), 120999.9m, 0.25m),
        ], ticks);
    }

    [Fact]
    public void Gemini_trades_should_read_microsecond_timestamps_price_and_amount()
    {
        string path = _files.Write("gemini.csv",
            "exchange,symbol,timestamp,local_timestamp,id,side,price,amount",
            "gemini,BTCUSD,1760130000000001,1760130000050000,17,sell,107000.5,0.01",
            "gemini,BTCUSD,1760130000000001,1760130000060000,18,sell,107000,0.02");
        var ticks = new TickFile(path).Ticks().ToList();
        Assert.Equal(new Tick("BTCUSD", T.AddTicks(10), 107000.5m, 0.01m), ticks[0]);
        Assert.Equal(2, ticks.Count);
    }

    [Fact]
    public void Merging_files_should_order_by_time_then_symbol_then_file_order()
    {
        string a = _files.Write("a.csv", "1760130000000,ETH,1", "1760130001000,BTC,2", "1760130002000,BTC,3");
        string b = _files.Write("b.csv", "1760130000000,BTC,4", "1760130001000,BTC,5", "1760130002000,ETH,6");
        var ticks = new MergedTickSource([new TickFile(a), new TickFile(b)]).Ticks().ToList();
        Assert.Equal([4m, 1m, 2m, 5m, 3m, 6m], ticks.Select(t => t.Price));
    }

    [Fact]
    public void A_missing_file_should_be_reported_by_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-ticks.csv");
        var error = Assert.Throws<FileNotFoundException>(() => new TickFile(path).Ticks());
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_layout_should_be_refused_at_line_one()
    {
        string path = _files.Write("odd.csv", "a,b,c,d,e");
        var error = Assert.Throws<TickFileException>(() => new TickFile(path).Ticks().ToList());
        Assert.Equal(1, error.Line);
        Assert.Equal("row", error.Field);
    }

    [Fact]
    public void Merged_sources_should_refuse_a_source_that_goes_back_in_time()
    {
        var backwards = new ListSource([new Tick("X", T, 1m), new Tick("X", T.AddSeconds(-1), 1m)]);
        Assert.Throws<InvalidOperationException>(() => new MergedTickSource([backwards]).Ticks().ToList());
    }

    private sealed class ListSource(IReadOnlyList<Tick> ticks) : ITickSource
    {
        public IEnumerable<Tick> Ticks() => ticks;
    }
}
