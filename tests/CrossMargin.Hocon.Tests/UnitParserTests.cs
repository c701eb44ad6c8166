namespace CrossMargin.Hocon.Tests;

public sealed class UnitParserTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("250", 250L * TimeSpan.TicksPerMillisecond)]
    [InlineData("1ns", 0L)]
    [InlineData("100 nanoseconds", 1L)]
    [InlineData("3us", 30L)]
    [InlineData("2 micros", 20L)]
    [InlineData("7 millis", 7L * TimeSpan.TicksPerMillisecond)]
    [InlineData("1 second", TimeSpan.TicksPerSecond)]
    [InlineData("30m", 30L * TimeSpan.TicksPerMinute)]
    [InlineData("2 hours", 2L * TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("0.5s", TimeSpan.TicksPerSecond / 2)]
    [InlineData("-1s", -TimeSpan.TicksPerSecond)]
    public void Durations_should_convert_every_unit_spelling(string text, long ticks)
    {
        Assert.True(DurationParser.TryParse(text, allowInfinite: true, out var value, out var problem), problem);
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    [Theory]
    [InlineData("10 S")]
    [InlineData("10 weeks")]
    [InlineData("ten seconds")]
    [InlineData("")]
    [InlineData("99999999999999 days")]
    public void Invalid_durations_should_be_rejected_with_a_reason(string text)
    {
        Assert.False(DurationParser.TryParse(text, allowInfinite: true, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("10B", 10L)]
    [InlineData("1 byte", 1L)]
    [InlineData("1kB", 1000L)]
    [InlineData("1 kilobytes", 1000L)]
    [InlineData("1K", 1024L)]
    [InlineData("1Ki", 1024L)]
    [InlineData("1 kibibyte", 1024L)]
    [InlineData("2MB", 2_000_000L)]
    [InlineData("2m", 2L * 1024 * 1024)]
    [InlineData("1 gibibytes", 1L << 30)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("1PB", 1_000_000_000_000_000L)]
    [InlineData("1EiB", 1L << 60)]
    [InlineData("0.5k", 512L)]
    public void Sizes_should_convert_powers_of_ten_and_two(string text, long bytes)
    {
        Assert.True(ByteSizeParser.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("1 KB")]
    [InlineData("16EiB")]
    [InlineData("lots")]
    public void Invalid_sizes_should_be_rejected_with_a_reason(string text)
    {
        Assert.False(ByteSizeParser.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-12", true)]
    [InlineData("3.14", true)]
    [InlineData("1e10", true)]
    [InlineData("1.5E-3", true)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("1e", false)]
    [InlineData("10s", false)]
    [InlineData("-", false)]
    public void Number_recognition_should_follow_the_json_grammar(string text, bool isNumber)
    {
        Assert.Equal(isNumber, HoconNumber.IsNumber(text));
    }

    [Fact]
    public void GetDecimal_should_read_exponents_and_long_fractions_exactly()
    {
        var config = ConfigurationFactory.ParseString("a = 1.5e-3\nb = 0.3000000000000000000000000001\nc = \"2.50\"");
        Assert.Equal(0.0015m, config.GetDecimal("a"));
        Assert.Equal(0.3000000000000000000000000001m, config.GetDecimal("b"));
        Assert.Equal(2.50m, config.GetDecimal("c"));
    }
}
