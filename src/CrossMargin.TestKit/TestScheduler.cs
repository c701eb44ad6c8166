using CrossMargin.Actors;

namespace CrossMargin.TestKit;

/// <summary>
/// Virtual time for tests: pass it as the system's clock (<c>new ActorSystemSetup { TimeProvider = new TestScheduler() }</c>)
/// and move it by hand with <see cref="VirtualTimeProvider.Advance"/>. Scheduled messages, timers, receive timeouts,
/// Ask timeouts and supervision windows then follow it; due timers fire synchronously on the calling thread, in order.
/// </summary>
public sealed class TestScheduler : VirtualTimeProvider
{
    /// <summary>Creates a clock at <paramref name="start"/> (default 2000-01-01Z).</summary>
    public TestScheduler(DateTimeOffset? start = null) : base(start) { }
}
