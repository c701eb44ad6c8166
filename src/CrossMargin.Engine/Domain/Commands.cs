namespace CrossMargin.Engine.Domain;

/// <summary>A user command to one account. Every command gets a <see cref="CommandReply"/>.</summary>
/// <param name="AccountId">Target account.</param>
/// <param name="CommandId">Caller-chosen id, echoed in the reply and journaled with the events.</param>
public abstract record AccountCommand(long AccountId, long CommandId);

/// <summary>Deposit collateral.</summary>
/// <param name="AccountId">Target account.</param>
/// <param name="CommandId">Command id.</param>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Amount (asset units, &gt; 0).</param>
public sealed record Deposit(long AccountId, long CommandId, string Asset, decimal Amount) : AccountCommand(AccountId, CommandId);

/// <summary>Withdraw collateral; refused if it would leave equity below initial margin.</summary>
/// <param name="AccountId">Target account.</param>
/// <param name="CommandId">Command id.</param>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Amount (asset units, &gt; 0).</param>
public sealed record Withdraw(long AccountId, long CommandId, string Asset, decimal Amount) : AccountCommand(AccountId, CommandId);

/// <summary>
/// Open, change or close a position by a trade at <paramref name="Price"/> against <paramref name="Counterparty"/>
/// (pre-trade initial-margin check on risk-increasing trades).
/// </summary>
/// <param name="AccountId">Target account.</param>
/// <param name="CommandId">Command id.</param>
/// <param name="Instrument">Instrument.</param>
/// <param name="SizeDelta">Signed size change, a multiple of the lot.</param>
/// <param name="Price">Trade price.</param>
/// <param name="Counterparty">The other side.</param>
/// <param name="IsolatedMargin">Isolated mode: margin to move to the position first (settlement asset).</param>
public sealed record PlaceTrade(long AccountId, long CommandId, string Instrument, decimal SizeDelta, decimal Price, long Counterparty, decimal IsolatedMargin = 0m)
    : AccountCommand(AccountId, CommandId);

/// <summary>The answer to every command.</summary>
/// <param name="AccountId">Account.</param>
/// <param name="CommandId">The command's id.</param>
/// <param name="Accepted">True when applied.</param>
/// <param name="Reason">Why it was refused; null when accepted.</param>
public sealed record CommandReply(long AccountId, long CommandId, bool Accepted, string? Reason)
{
    /// <summary>An acceptance.</summary>
    public static CommandReply Accept(AccountCommand c) => new(c.AccountId, c.CommandId, true, null);

    /// <summary>A refusal with its reason.</summary>
    public static CommandReply Refuse(AccountCommand c, string reason) => new(c.AccountId, c.CommandId, false, reason);
}
