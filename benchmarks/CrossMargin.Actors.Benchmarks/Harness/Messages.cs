namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>The message bounced by ping-pong and fanned out; one shared instance, so a hand-off allocates nothing for the payload.</summary>
public sealed class Ball
{
    public static readonly Ball Instance = new();

    private Ball() { }
}

/// <summary>
/// Starts one ping-pong round on a pinger: put <paramref name="InFlight"/> balls in flight, send
/// <paramref name="Quota"/> pings in all, signal <paramref name="Done"/> when the last pong is back.
/// </summary>
public sealed record StartRound(int InFlight, long Quota, Countdown Done);

/// <summary>One fan-out round: each recipient signals <paramref name="Done"/> once.</summary>
public sealed record Hit(Countdown Done);
