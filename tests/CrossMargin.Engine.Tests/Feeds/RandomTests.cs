using CrossMargin.Engine.Feeds;

namespace CrossMargin.Engine.Tests.Feeds;

public sealed class RandomTests
{
    [Fact]
    public void SplitMix64_should_produce_the_published_first_value_for_seed_zero()
    {
        var mix = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, mix.Next());
    }

    [Fact]
    public void Xoshiro_should_repeat_its_sequence_for_the_same_seed_and_differ_for_another()
    {
        var a = new Xoshiro256StarStar(42);
        var b = new Xoshiro256StarStar(42);
        var c = new Xoshiro256StarStar(43);
        var fromA = Enumerable.Range(0, 1000).Select(_ => a.NextUInt64()).ToArray();
        var fromB = Enumerable.Range(0, 1000).Select(_ => b.NextUInt64()).ToArray();
        var fromC = Enumerable.Range(0, 1000).Select(_ => c.NextUInt64()).ToArray();
        Assert.Equal(fromA, fromB);
        Assert.NotEqual(fromA, fromC);
    }

    [Fact]
    public void Gaussians_should_have_zero_mean_and_unit_variance()
    {
        var rng = new Xoshiro256StarStar(7);
        const int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double x = rng.NextGaussian();
            sum += x;
            sumSq += x * x;
        }

        double mean = sum / n;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange((sumSq / n) - (mean * mean), 0.98, 1.02);
    }

    [Fact]
    public void Uniform_doubles_should_lie_in_the_unit_interval()
    {
        var rng = new Xoshiro256StarStar(1);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.InRange(rng.NextDouble(), 0.0, 0.9999999999999999);
        }
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-5)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.718281828)]
    [InlineData(123456.789)]
    [InlineData(1e300)]
    public void Deterministic_log_should_agree_with_the_runtime_to_a_few_ulps(double x)
    {
        double expected = Math.Log(x);
        Assert.InRange(DeterministicMath.Log(x), expected - (Math.Abs(expected) * 1e-14) - 1e-15, expected + (Math.Abs(expected) * 1e-14) + 1e-15);
    }

    [Theory]
    [InlineData(-700.0)]
    [InlineData(-1.5)]
    [InlineData(0.0)]
    [InlineData(1e-9)]
    [InlineData(0.3)]
    [InlineData(11.7)]
    [InlineData(700.0)]
    public void Deterministic_exp_should_agree_with_the_runtime_to_a_few_ulps(double x)
    {
        double expected = Math.Exp(x);
        Assert.InRange(DeterministicMath.Exp(x), expected * (1 - 1e-14), expected * (1 + 1e-14));
    }
}
