using System.Globalization;

namespace CrossMargin.TestKit;

/// <summary>Test kit timing settings (HOCON section <c>crossmargin.test</c>).</summary>
public sealed record TestKitSettings
{
    /// <summary>Environment variable that overrides <see cref="TimeFactor"/> (e.g. <c>CROSSMARGIN_TEST_TIMEFACTOR=3</c> on a slow CI machine).</summary>
    public const string TimeFactorVariable = "CROSSMARGIN_TEST_TIMEFACTOR";

    /// <summary><c>single-expect-default</c>: ExpectMsg timeout outside <c>Within</c> (default 3 s, before dilation).</summary>
    public TimeSpan SingleExpectDefault { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>default-timeout</c>: general timeout, e.g. for Ask in tests and system shutdown (default 3 s, before dilation).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>filter-leeway</c>: how long EventFilter waits for expected events (default 3 s, before dilation).</summary>
    public TimeSpan FilterLeeway { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>timefactor</c>: every maximum duration is multiplied by it (default 1.0).</summary>
    public double TimeFactor { get; init; } = 1.0;

    /// <summary>Defaults with the time factor taken from <see cref="TimeFactorVariable"/> when it is set.</summary>
    public static TestKitSettings FromEnvironment(TestKitSettings? baseSettings = null) =>
        WithTimeFactorVariable(Environment.GetEnvironmentVariable(TimeFactorVariable), baseSettings);

    /// <summary>Applies a value of <see cref="TimeFactorVariable"/> (null or blank: unchanged). Throws <see cref="ArgumentException"/> for a non-positive or non-numeric value.</summary>
    public static TestKitSettings WithTimeFactorVariable(string? env, TestKitSettings? baseSettings = null)
    {
        var s = baseSettings ?? new TestKitSettings();
        if (string.IsNullOrWhiteSpace(env)) return s;
        if (!double.TryParse(env, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || f <= 0 || double.IsNaN(f) || double.IsInfinity(f))
            throw new ArgumentException($"Environment variable {TimeFactorVariable}=\"{env}\" is not a positive number.");
        return s with { TimeFactor = f };
    }

    /// <summary>
    /// Reads <c>crossmargin.test.*</c> from <paramref name="config"/> (missing keys keep the defaults); the environment
    /// variable still wins over <c>timefactor</c> when applied with <see cref="FromEnvironment"/>.
    /// </summary>
    public static TestKitSettings FromConfig(CrossMargin.Hocon.Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = new TestKitSettings();
        var factor = config.GetDouble("crossmargin.test.timefactor", d.TimeFactor);
        if (factor <= 0 || double.IsNaN(factor) || double.IsInfinity(factor))
            throw new ArgumentException($"crossmargin.test.timefactor must be a positive number, was {factor.ToString(CultureInfo.InvariantCulture)}");
        return new TestKitSettings
        {
            TimeFactor = factor,
            SingleExpectDefault = config.GetTimeSpan("crossmargin.test.single-expect-default", d.SingleExpectDefault, allowInfinite: false),
            DefaultTimeout = config.GetTimeSpan("crossmargin.test.default-timeout", d.DefaultTimeout, allowInfinite: false),
            FilterLeeway = config.GetTimeSpan("crossmargin.test.filter-leeway", d.FilterLeeway, allowInfinite: false),
        };
    }

    /// <summary>Scales <paramref name="duration"/> by the time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));
}
