using CrossMargin.Engine.Feeds;

namespace CrossMargin.Engine.Tests.Feeds;

public sealed class BookDepthFileTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Depth_at_a_time_should_be_the_last_sample_at_or_before_it()
    {
        string path = _files.Write("depth.csv",
            "timestamp,percentage,depth,notional,weighted_avg_price",
            "2025-10-10 00:00:00,-1,100,1000,10",
            "2025-10-10 00:00:00,1,90,900,10",
            "2025-10-10 00:01:00,-1,50,500,10",
            "2025-10-10 00:02:00,-1,2,20,10");
        BookDepthSeries series = BookDepthFile.Read(path);
        var t = new DateTimeOffset(2025, 10, 10, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(100m, series.DepthAt(-1, t.AddSeconds(-5)));
        Assert.Equal(100m, series.DepthAt(-1, t.AddSeconds(59)));
        Assert.Equal(50m, series.DepthAt(-1, t.AddMinutes(1)));
        Assert.Equal(2m, series.DepthAt(-1, t.AddHours(1)));
        DepthCalibration calibration = series.Calibrate(-1);
        Assert.Equal(new DepthCalibration(-1, 3, 50m, 100m, 2m, t.AddMinutes(2)), calibration);
        Assert.Equal(0.04m, calibration.Floor);
        Assert.Equal(0.98m, calibration.CollapseFromPeak);
        Assert.Equal(1m, series.DepthFactorAt(-1, t));
        Assert.Equal(0.04m, series.DepthFactorAt(-1, t.AddMinutes(3)));
        Assert.Throws<ArgumentException>(() => series.Calibrate(3));
    }

    [Theory]
    [InlineData("2025-10-10 00:00:01,-1,abc,1,1", "depth")]
    [InlineData("2025-10-10 00:00:01,0,1,1,1", "percentage")]
    [InlineData("2025-10-10 00:00:01,-1,1,1", "row")]
    [InlineData("2025-10-09 00:00:01,-1,1,1,1", "timestamp")]
    [InlineData("2025-10-10 00:00:01,-1,1,-1,1", "notional")]
    public void A_bad_row_should_fail_naming_line_and_field(string row, string field)
    {
        string path = _files.Write("depth.csv", "timestamp,percentage,depth,notional,weighted_avg_price", "2025-10-10 00:00:00,-1,1,1,1", row);
        var error = Assert.Throws<TickFileException>(() => BookDepthFile.Read(path));
        Assert.Equal(3, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Equal(1, BookDepthFile.Read(path, skipBadRows: true).SkippedRows);
    }
}
