namespace CrossMargin.Engine.Domain.Events;

/// <summary>A fact journaled by a price feed (persistence id <c>feed-SYMBOL</c>).</summary>
public abstract record FeedEvent;

/// <summary>Input: an index tick; <paramref name="Mark"/> is the mark it produced (derived, kept for inspection).</summary>
/// <param name="TimeMicros">Simulated time, microseconds since the Unix epoch.</param>
/// <param name="Index">Index price.</param>
/// <param name="Mark">Mark after the tick (mark model + impact offset).</param>
public sealed record IndexTickReceived(long TimeMicros, decimal Index, decimal Mark) : FeedEvent;

/// <summary>Derived: liquidation flow of round <paramref name="Round"/> moved the mark by <paramref name="PriceChange"/>.</summary>
/// <param name="Round">Global cascade round number.</param>
/// <param name="TimeMicros">Simulated time.</param>
/// <param name="NetQuantity">Net signed quantity the round traded (negative = net selling).</param>
/// <param name="PriceChange">Signed mark change (square-root law).</param>
/// <param name="Mark">Mark after the impact.</param>
public sealed record ImpactApplied(int Round, long TimeMicros, decimal NetQuantity, decimal PriceChange, decimal Mark) : FeedEvent;
