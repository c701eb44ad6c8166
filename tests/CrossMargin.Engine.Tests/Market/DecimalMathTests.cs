using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Market;

public sealed class DecimalMathTests
{
    [Theory]
    [InlineData("0.0004", "0.02")]
    [InlineData("144", "12")]
    [InlineData("0.00000001", "0.0001")]
    [InlineData("0.25", "0.5")]
    [InlineData("1000000000000", "1000000")]
    public void Sqrt_should_be_exact_for_perfect_squares(string value, string root)
    {
        Assert.Equal(decimal.Parse(root, System.Globalization.CultureInfo.InvariantCulture),
            DecimalMath.Sqrt(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Sqrt_of_two_should_be_accurate_to_decimal_precision()
    {
        decimal root = DecimalMath.Sqrt(2m);
        Assert.Equal(1.4142135623730950488016887242m, root);
    }

    [Fact]
    public void Sqrt_of_zero_is_zero_and_of_a_negative_number_is_refused()
    {
        Assert.Equal(0m, DecimalMath.Sqrt(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalMath.Sqrt(-1m));
    }

    [Fact]
    public void Pow2Negative_should_be_exact_for_whole_exponents_and_accurate_between()
    {
        Assert.Equal(1m, DecimalMath.Pow2Negative(0m));
        Assert.Equal(0.5m, DecimalMath.Pow2Negative(1m));
        Assert.Equal(0.125m, DecimalMath.Pow2Negative(3m));
        decimal halfPower = DecimalMath.Pow2Negative(0.5m);
        Assert.InRange(halfPower, 0.70710678118654752440084436m, 0.70710678118654752440084437m);
        Assert.Equal(0m, DecimalMath.Pow2Negative(200m));
    }
}
