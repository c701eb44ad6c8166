namespace CrossMargin.Engine.Reporting;

/// <summary>The outcome of one invariant checked at the end of a run (money conservation, long OI = short OI, ...).</summary>
/// <param name="Name">Stable, short name, e.g. <c>money-conservation</c>.</param>
/// <param name="Passed">Whether the invariant held.</param>
/// <param name="Evidence">Human-readable evidence: the figures compared; for a violation, enough to find the culprit. Never null; may be empty when passed.</param>
public sealed record InvariantResult(string Name, bool Passed, string Evidence);
