using CrossMargin.Engine.Feeds;

namespace CrossMargin.Engine.Tests.Feeds;

public sealed class TimestampsTests
{
    private static readonly DateTimeOffset T = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1760130000")]
    [InlineData("1760130000000")]
    [InlineData("1760130000000000")]
    [InlineData("1760130000000000000")]
    [InlineData("2025-10-10T21:00:00Z")]
    [InlineData("2025-10-10T21:00:00.000000Z")]
    [InlineData("2025-10-10 21:00:00")]
    [InlineData("2025-10-10T23:00:00+02:00")]
    [InlineData(" 2025-10-10T21:00:00Z ")]
    public void Every_accepted_form_should_read_the_same_instant(string text)
    {
        Assert.True(Timestamps.TryParse(text, out DateTimeOffset time));
        Assert.Equal(T, time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("10/10/2025 21:00")]
    [InlineData("-1760130000")]
    [InlineData("2025-13-40T00:00:00Z")]
    [InlineData("99999999999999999999999")]
    [InlineData("yesterday")]
    public void Anything_else_should_be_refused(string text)
    {
        Assert.False(Timestamps.TryParse(text, out _));
    }
}
