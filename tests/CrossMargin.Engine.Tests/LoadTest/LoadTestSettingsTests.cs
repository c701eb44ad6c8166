using CrossMargin.Engine.LoadTest;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

public sealed class LoadTestSettingsTests
{
    [Fact]
    public void Defaults_should_be_valid()
    {
        Assert.Empty(new LoadTestSettings().Errors());
    }

    [Theory]
    [InlineData("accounts", "--accounts: 0 is out of range; accepted 1..10,000,000")]
    [InlineData("instruments", "--instruments: 51 is out of range; accepted 1..50")]
    [InlineData("rate", "--tick-rate: -5 is out of range; accepted 1..1,000,000")]
    [InlineData("duration", "--duration: 0s is out of range; accepted 1s..24h")]
    [InlineData("factor", "--step-factor: 1 is out of range; accepted 1.1..10")]
    [InlineData("drop", "--drop: 0.95 is out of range; accepted 0..0.9")]
    public void A_value_out_of_range_should_be_named_with_its_accepted_range(string what, string message)
    {
        var s = what switch
        {
            "accounts" => new LoadTestSettings { Accounts = 0 },
            "instruments" => new LoadTestSettings { Instruments = 51 },
            "rate" => new LoadTestSettings { TickRate = -5 },
            "duration" => new LoadTestSettings { Duration = TimeSpan.Zero },
            "factor" => new LoadTestSettings { StepFactor = 1.0 },
            _ => new LoadTestSettings { Drop = 0.95m },
        };
        Assert.Equal([message], s.Errors());
    }

    [Fact]
    public void Step_up_should_multiply_the_rate_per_step_up_to_the_maximum()
    {
        var s = new LoadTestSettings { StepUp = true, TickRate = 1_000, StepFactor = 2, MaxRate = 5_000, StepDuration = TimeSpan.FromSeconds(5) };
        Assert.Equal([1_000L, 2_000, 4_000, 5_000], s.Phases().Select(p => p.Rate));
        Assert.All(s.Phases(), p => Assert.Equal(5_000_000_000, p.DurationNanos));
        Assert.Equal(["--max-rate: 500 is below --tick-rate 1,000; accepted --tick-rate..1,000,000"], (s with { MaxRate = 500 }).Errors());
    }

    [Fact]
    public void A_constant_run_should_have_one_phase_of_the_duration()
    {
        var s = new LoadTestSettings { TickRate = 10_000, Duration = TimeSpan.FromSeconds(60) };
        Assert.Equal([new RatePhase(10_000, 60_000_000_000)], s.Phases());
    }
}
