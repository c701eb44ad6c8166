namespace CrossMargin.Engine.Domain.Events;

/// <summary>A fact about the run itself (persistence id <c>run</c>).</summary>
public abstract record RunEvent;

/// <summary>The run started: what it runs, so replay and what-if know the inputs.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Scenario">Scenario name or file.</param>
/// <param name="Seed">Seed.</param>
/// <param name="MarginMode">Margin mode word.</param>
/// <param name="Accounts">Trading accounts.</param>
/// <param name="Configuration">The resolved configuration text the run used.</param>
/// <param name="SchemaVersion">Engine event schema version.</param>
public sealed record RunStarted(string RunId, string Scenario, ulong Seed, string MarginMode, long Accounts, string Configuration, int SchemaVersion) : RunEvent;

/// <summary>The run ended; <paramref name="JournalHash"/> is SHA-256 over every row journaled before this one, in order.</summary>
/// <param name="JournalHash">Lower-case hex.</param>
/// <param name="Events">Rows hashed.</param>
/// <param name="StateHash">Hash of the final state (replay recomputes it).</param>
/// <param name="Partial">True when the run was interrupted.</param>
public sealed record RunCompleted(string JournalHash, long Events, string StateHash, bool Partial) : RunEvent;
