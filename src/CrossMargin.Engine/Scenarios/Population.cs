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

    /// <summary>
    /// Every trade once, with its mirror on the counterparty (null when the counterparty does not list it), in the
    /// order the engines fill them: trading accounts in list order, then the market maker; within an account, its
    /// trades in list order. A trade already taken as another trade's mirror is not yielded again.
    /// </summary>
    /// <remarks>Both engines seed through this, so they pair trades identically. Lazy; not thread-safe.</remarks>
    public IEnumerable<(long AccountId, SeedTrade Trade, SeedTrade? Mirror)> MatchedTrades()
    {
        var pending = new Dictionary<(long, long, string, decimal, decimal), Queue<SeedTrade>>();
        foreach (var s in All())
        {
            foreach (var t in s.Trades)
            {
                var key = (s.AccountId, t.CounterpartyId, t.Instrument, t.Size, t.Price);
                if (!pending.TryGetValue(key, out var q))
                {
                    pending[key] = q = new Queue<SeedTrade>();
                }

                q.Enqueue(t);
            }
        }

        foreach (var s in Accounts.Concat([MarketMaker]))
        {
            foreach (var t in s.Trades)
            {
                var own = (s.AccountId, t.CounterpartyId, t.Instrument, t.Size, t.Price);
                if (!pending.TryGetValue(own, out var mine) || mine.Count == 0)
                {
                    continue; // already filled as the other side's mirror
                }

                mine.Dequeue();
                var mirrorKey = (t.CounterpartyId, s.AccountId, t.Instrument, -t.Size, t.Price);
                var mirror = pending.TryGetValue(mirrorKey, out var q) && q.Count > 0 ? q.Dequeue() : null;
                yield return (s.AccountId, t, mirror);
            }
        }
    }
}
