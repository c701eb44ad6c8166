using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Feeds;

public sealed class CorrelatedGbmSourceTests
{
    private static readonly DateTimeOffset Start = new(2025, 10, 10, 0, 0, 0, TimeSpan.Zero);

    private static CorrelatedGbmSource TwoAssets(ulong seed, double rho, int steps, double jumpIntensity = 0.0) =>
        new(
            [
                new GbmInstrument("BTC-PERP", 60_000m, 0.1m, 0.0, 0.8, jumpIntensity, -0.05, 0.02),
                new GbmInstrument("ETH-PERP", 3_000m, 0.01m, 0.0, 1.0),
            ],
            new CorrelationMatrix([[1.0, rho], [rho, 1.0]]),
            seed,
            Start,
            TimeSpan.FromMinutes(1),
            steps);

    [Fact]
    public void Same_seed_should_give_identical_ticks_and_another_seed_different_ones()
    {
        var first = TwoAssets(11, 0.7, 2_000).Ticks().ToList();
        var again = TwoAssets(11, 0.7, 2_000).Ticks().ToList();
        var other = TwoAssets(12, 0.7, 2_000).Ticks().ToList();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_recorded_path_should_be_reproduced_exactly()
    {
        // Golden values recorded from this implementation: a change here means replays of old journals would diverge.
        var source = new CorrelatedGbmSource(
            [
                new GbmInstrument("BTC-PERP", 60_000m, 0.1m, 0.05, 0.8, 50, -0.05, 0.02),
                new GbmInstrument("ETH-PERP", 3_000m, 0.01m, 0.0, 1.0),
            ],
            new CorrelationMatrix([[1.0, 0.7], [0.7, 1.0]]),
            20251010,
            Start,
            TimeSpan.FromSeconds(1),
            10_000);
        var ticks = source.Ticks().ToList();
        Assert.Equal(new Tick("BTC-PERP", Start.AddSeconds(10_000), 59_007.8m), ticks[^2]);
        Assert.Equal(new Tick("ETH-PERP", Start.AddSeconds(10_000), 2_965.89m), ticks[^1]);
        Assert.Equal(58_471.3m, ticks.Where(t => t.Instrument == "BTC-PERP").Min(t => t.Price));
    }

    [Fact]
    public void Ticks_should_start_at_the_initial_prices_and_stay_positive_on_the_tick_grid_in_time_order()
    {
        var ticks = TwoAssets(3, 0.5, 5_000, jumpIntensity: 2_000).Ticks().ToList();
        Assert.Equal(2 * 5_001, ticks.Count);
        Assert.Equal(new Tick("BTC-PERP", Start, 60_000m), ticks[0]);
        Assert.Equal(new Tick("ETH-PERP", Start, 3_000m), ticks[1]);
        for (int i = 0; i < ticks.Count; i++)
        {
            decimal tick = ticks[i].Instrument == "BTC-PERP" ? 0.1m : 0.01m;
            Assert.True(ticks[i].Price > 0);
            Assert.Equal(0m, ticks[i].Price % tick);
            if (i > 0)
            {
                Assert.True(ticks[i].Time >= ticks[i - 1].Time);
            }
        }

        Assert.Equal(Start.AddMinutes(5_000), ticks[^1].Time);
    }

    [Fact]
    public void Log_returns_should_show_the_configured_correlation_and_volatility()
    {
        const int steps = 20_000;
        var ticks = TwoAssets(5, 0.8, steps).Ticks().ToList();
        double[] btc = LogReturns(ticks, "BTC-PERP");
        double[] eth = LogReturns(ticks, "ETH-PERP");
        Assert.InRange(Correlation(btc, eth), 0.77, 0.83);
        double expectedBtcStep = 0.8 * Math.Sqrt(60.0 / (365.0 * 24 * 3600));
        Assert.InRange(StdDev(btc) / expectedBtcStep, 0.95, 1.05);
    }

    [Fact]
    public void Jumps_should_arrive_at_about_the_configured_intensity()
    {
        // One jump an hour on a path with no diffusion: every move of 1% or more is a jump.
        var source = new CorrelatedGbmSource(
            [new GbmInstrument("X", 1_000m, 0.001m, 0.0, 0.0, 365.0 * 24, -0.05, 0.0)],
            CorrelationMatrix.Identity(1),
            9,
            Start,
            TimeSpan.FromMinutes(1),
            60 * 200);
        double[] returns = LogReturns(source.Ticks().ToList(), "X");
        int jumps = returns.Count(r => r < -0.01);
        Assert.InRange(jumps, 160, 240);
    }

    [Fact]
    public void An_asymmetric_matrix_should_be_refused_naming_the_entry()
    {
        var error = Assert.Throws<InvalidCorrelationMatrixException>(() => new CorrelationMatrix([[1.0, 0.5], [0.4, 1.0]]));
        Assert.Equal((0, 1), (error.Row, error.Column));
        Assert.Contains("not symmetric", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_that_is_not_positive_definite_should_be_refused()
    {
        var error = Assert.Throws<InvalidCorrelationMatrixException>(
            () => new CorrelationMatrix([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]));
        Assert.Contains("not positive definite", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.9, 0.0)]
    [InlineData(1.0, 1.5)]
    public void A_bad_diagonal_or_an_entry_outside_minus_one_to_one_should_be_refused(double diagonal, double offDiagonal)
    {
        Assert.Throws<InvalidCorrelationMatrixException>(
            () => new CorrelationMatrix([[diagonal, offDiagonal], [offDiagonal, 1.0]]));
    }

    [Fact]
    public void A_matrix_of_the_wrong_size_should_be_refused()
    {
        Assert.Throws<InvalidCorrelationMatrixException>(() => new CorrelationMatrix([[1.0, 0.2], [0.2]]));
        Assert.Throws<ArgumentException>(() => new CorrelatedGbmSource(
            [new GbmInstrument("X", 1m, 0.01m, 0, 0.5)], CorrelationMatrix.Identity(2), 1, Start, TimeSpan.FromSeconds(1), 10));
    }

    [Fact]
    public void Cholesky_factor_should_reproduce_the_matrix()
    {
        double[][] rows = [[1.0, 0.6, 0.3], [0.6, 1.0, 0.5], [0.3, 0.5, 1.0]];
        var matrix = new CorrelationMatrix(rows);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++)
                {
                    sum += matrix.Cholesky(i, k) * matrix.Cholesky(j, k);
                }

                Assert.Equal(rows[i][j], sum, 12);
            }
        }
    }

    private static double[] LogReturns(List<Tick> ticks, string instrument)
    {
        double[] prices = [.. ticks.Where(t => t.Instrument == instrument).Select(t => (double)t.Price)];
        return [.. prices.Skip(1).Select((p, i) => Math.Log(p / prices[i]))];
    }

    private static double StdDev(double[] xs)
    {
        double mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1));
    }

    private static double Correlation(double[] xs, double[] ys)
    {
        double mx = xs.Average();
        double my = ys.Average();
        double cov = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum();
        return cov / Math.Sqrt(xs.Sum(x => (x - mx) * (x - mx)) * ys.Sum(y => (y - my) * (y - my)));
    }
}
