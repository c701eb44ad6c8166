using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Feeds;

/// <summary>Reads the real files in ../shared/data (see its README.md); fails with a clear message when they are absent.</summary>
public sealed class RealMarketDataTests
{
    private static readonly string[] GeminiSymbols = ["BTC", "ETH", "SOL", "XRP", "LTC", "DOGE", "LINK", "AVAX"];
    private static readonly string[] AltcoinSymbols = ["ALGO", "AVAX", "DOT", "FIL", "LINK", "LTC", "NEAR"];

    [Fact]
    public void BTCUSDT_5m_marks_should_have_288_rows_and_fall_about_15_percent_from_the_1340_peak_to_the_2120_trough()
    {
        var file = new TickFile(SharedData.File("2025-10-10/BTCUSDT-5m-2025-10-10.csv"));
        var ticks = file.Ticks().ToList();
        Assert.Equal(288, ticks.Count);
        Assert.Equal(TickFileFormat.BinanceKline, file.DetectedFormat);
        Assert.All(ticks, t => Assert.Equal("BTCUSDT", t.Instrument));
        Tick peak = ticks.MaxBy(t => t.Price);
        Tick trough = ticks.MinBy(t => t.Price);
        Assert.Equal(new TimeOnly(13, 39, 59, 999), TimeOnly.FromTimeSpan(peak.Time.TimeOfDay));
        Assert.Equal(new TimeOnly(21, 19, 59, 999), TimeOnly.FromTimeSpan(trough.Time.TimeOfDay));
        Assert.InRange(peak.Price, 122_000m, 123_000m);
        Assert.InRange(trough.Price, 102_500m, 105_000m);
        Assert.InRange(1m - (trough.Price / peak.Price), 0.14m, 0.17m);
    }

    [Fact]
    public void Two_days_of_5m_marks_should_merge_into_576_continuous_ticks()
    {
        var source = new MergedTickSource(
        [
            new TickFile(SharedData.File("2025-10-10/BTCUSDT-5m-2025-10-11.csv")),
            new TickFile(SharedData.File("2025-10-10/BTCUSDT-5m-2025-10-10.csv")),
        ]);
        var ticks = source.Ticks().ToList();
        Assert.Equal(576, ticks.Count);
        for (int i = 1; i < ticks.Count; i++)
        {
            Assert.Equal(TimeSpan.FromMinutes(5), ticks[i].Time - ticks[i - 1].Time);
        }
    }

    [Theory]
    [InlineData("2025-10-10/BTCUSD_PERP-1m-2025-10-09.csv")]
    [InlineData("2025-10-10/BTCUSD_PERP-1m-2025-10-10.csv")]
    public void BTCUSD_PERP_1m_mark_files_should_have_1440_rows(string file)
    {
        var ticks = new TickFile(SharedData.File(file)).Ticks().ToList();
        Assert.Equal(1_440, ticks.Count);
        Assert.All(ticks, t => Assert.Equal("BTCUSD_PERP", t.Instrument));
    }

    [Fact]
    public void Gemini_trades_of_eight_coins_should_merge_in_time_order_with_the_documented_counts()
    {
        var files = GeminiSymbols
            .Select(s => new TickFile(SharedData.File($"2025-10-10/gemini_trades_2025-10-10_{s}USD.csv"), options: new TickFileOptions
            {
                SymbolMap = new Dictionary<string, string> { [$"{s}USD"] = $"{s}-SPOT" },
            }))
            .ToList();
        var merged = new MergedTickSource(files).Ticks().ToList();
        Assert.Equal(files.Sum(f => f.TicksRead), merged.Count);
        Assert.Equal(24_706, merged.Count(t => t.Instrument == "BTC-SPOT"));
        Assert.Equal(22_320, merged.Count(t => t.Instrument == "ETH-SPOT"));
        Assert.All(files, f => Assert.Equal(0, f.SkippedRows));
        for (int i = 1; i < merged.Count; i++)
        {
            Assert.True(merged[i].Time >= merged[i - 1].Time);
        }
    }

    [Theory]
    [InlineData("BTC", 0.127)]
    [InlineData("ETH", 0.16)]
    [InlineData("SOL", 0.23)]
    [InlineData("XRP", 0.26)]
    public void Gemini_coins_should_fall_by_the_documented_share_from_the_day_high_to_a_trough_between_2100_and_2130(
        string symbol, double documentedDrop)
    {
        var ticks = new TickFile(SharedData.File($"2025-10-10/gemini_trades_2025-10-10_{symbol}USD.csv")).Ticks().ToList();
        Tick trough = ticks.MinBy(t => t.Price);
        Tick peak = ticks.Where(t => t.Time < trough.Time).MaxBy(t => t.Price);
        Assert.Equal(21, trough.Time.Hour);
        Assert.InRange(trough.Time.Minute, 0, 30);
        decimal drop = 1m - (trough.Price / peak.Price);
        Assert.InRange(drop, (decimal)documentedDrop - 0.005m, (decimal)documentedDrop + 0.005m);
    }

    [Fact]
    public void Altcoin_files_of_2026_02_should_have_4320_rows_and_bottom_after_the_2026_02_05_sell_off()
    {
        foreach (string symbol in AltcoinSymbols)
        {
            var ticks = new TickFile(SharedData.File($"2026-02-05/{symbol}USDT-1m-2026-02-04_to_06.csv")).Ticks().ToList();
            Assert.Equal(4_320, ticks.Count);
            Tick peak = ticks.MaxBy(t => t.Price);
            Tick trough = ticks.MinBy(t => t.Price);
            Assert.True(peak.Time < trough.Time);
            Assert.InRange(1m - (trough.Price / peak.Price), 0.24m, 0.31m);
            var day = ticks.Where(t => t.Time.Date == new DateTime(2026, 2, 5)).ToList();
            Assert.InRange(1m - (day.Min(t => t.Price) / day[0].Price), 0.14m, 0.20m);
        }
    }

    [Fact]
    public void Book_depth_should_show_the_1_percent_bid_depth_collapsing_by_over_98_percent()
    {
        BookDepthSeries depth = BookDepthFile.Read(SharedData.File("2025-10-10/BTCUSDT-bookDepth-2025-10-10.csv"));
        Assert.Equal(28_790, depth.Samples.Count);
        Assert.Equal([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5], depth.Percentages);
        Assert.All(depth.Percentages, p => Assert.Equal(2_879, depth.Band(p).Count));
        DepthCalibration bids = depth.Calibrate(-1);
        Assert.True(bids.CollapseFromPeak > 0.98m, $"collapse {bids.CollapseFromPeak:P2}");
        Assert.True(bids.Floor < 0.02m, $"floor {bids.Floor:P2}");
        var evening = new DateTimeOffset(2025, 10, 10, 21, 20, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2025, 10, 10, 9, 0, 0, TimeSpan.Zero);
        Assert.True(depth.DepthFactorAt(-1, evening) < 0.02m);
        Assert.True(depth.DepthFactorAt(-1, morning) > 0.5m);
    }
}
