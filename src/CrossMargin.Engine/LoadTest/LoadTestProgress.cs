namespace CrossMargin.Engine.LoadTest;

/// <summary>Live figures of a running load test.</summary>
/// <param name="Step">Offered rate of the current step, ticks/s.</param>
/// <param name="Processed">Ticks processed.</param>
/// <param name="Backlog">Ticks due but not processed.</param>
/// <param name="ElapsedSeconds">Seconds since injection began.</param>
/// <param name="LastLatencyMs">Latency of the last tick, ms.</param>
/// <param name="Events">Events journaled.</param>
/// <param name="Liquidations">Liquidation fills.</param>
public readonly record struct LoadTestProgress(long Step, long Processed, long Backlog, double ElapsedSeconds, double LastLatencyMs, long Events, long Liquidations);
