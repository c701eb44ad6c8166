namespace CrossMargin.Engine.Market;

/// <summary>Conversions between <see cref="DateTimeOffset"/> and integer Unix time units (all UTC).</summary>
public static class UnixTime
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>Microseconds since 1970-01-01T00:00Z, truncated toward negative infinity (the time is converted to UTC).</summary>
    public static long ToMicros(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    /// <summary>The UTC instant <paramref name="micros"/> microseconds after the Unix epoch.</summary>
    public static DateTimeOffset FromMicros(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(checked(micros * TicksPerMicrosecond));
}
