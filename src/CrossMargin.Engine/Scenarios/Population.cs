namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// The generated accounts of a run and the market maker, with every opening trade listed on both sides
/// (see <see cref="SeedTrade"/>). Immutable; safe to share across threads.
/// </summary>
/// <param name="Accounts">Trading accounts in ascending id order, ids 1..Count.</param>
/// <param name="MarketMaker">The market maker (id <see cref="MarketMakerSettings.AccountId"/>, normally 0): its deposits and its side of every trade it took.</param>
public sealed record Population(IReadOnlyList<AccountSeed> Accounts, AccountSeed MarketMaker)
{
    /// <summary>Number of trading accounts (the market maker excluded).</summary>
    public int Count => Accounts.Count;

    /// <summary>Every seed: the market maker first, then the trading accounts in id order.</summary>
    public IEnumerable<AccountSeed> All()
    {
        yield return MarketMaker;
        foreach (var a in Accounts)
        {
            yield return a;
        }
    }

    /// <summary>Σ of positive net sizes of <paramref name="instrument"/> over every seed (long open interest, base units).</summary>
    public decimal LongOpenInterest(string instrument) =>
        All().Sum(a => a.NetPositions().Where(p => p.Instrument == instrument && p.Size > 0m).Sum(p => p.Size));

    /// <summary>Σ of |negative net sizes| of <paramref name="instrument"/> over every seed (short open interest, base units).</summary>
    public decimal ShortOpenInterest(string instrument) =>
        All().Sum(a => a.NetPositions().Where(p => p.Instrument == instrument && p.Size < 0m).Sum(p => -p.Size));
}
