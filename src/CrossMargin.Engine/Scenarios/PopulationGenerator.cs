using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Reporting;
using MarginMode = CrossMargin.Risk.Model.MarginMode;
using CrossMargin.Risk;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// Generates the account population of a run, deterministically from the seed (xoshiro256** through SplitMix64;
/// never <see cref="Random"/>). Pure and thread-safe.
/// </summary>
/// <remarks>
/// <para>Per account, in id order: a collateral value (lognormal, clipped), the asset(s) it is held in, then either a
/// hedged book (spot collateral + short perp of equal notional, or long one perp + short another) or 1–5 directional
/// positions sized to a drawn leverage of the haircut collateral value, long with probability
/// <see cref="PopulationSettings.LongShare"/>. Sizes are rounded down to the lot size. If the account would fail initial
/// margin at the initial prices (bracket limits, portfolio grid) its sizes are scaled down until it passes.</para>
/// <para>Matching: a <see cref="PopulationSettings.MarketMakerShare"/> of every position fills against the market
/// maker; the rest is matched long against short between accounts, in id order, per instrument; what cannot be matched
/// fills against the market maker. Every trade is listed on both sides (see <see cref="SeedTrade"/>).</para>
/// <para>Isolated accounts deposit the same value in the settlement asset (isolated margin is posted in it), and each
/// trade carries the margin moved to its position: the pool is shared out in proportion to initial margin.</para>
/// </remarks>
public static class PopulationGenerator
{
    private const decimal ImSafety = 0.97m;

    /// <summary>Generates the population; throws <see cref="RunInputException"/> when the settings cannot give a valid account.</summary>
    /// <param name="settings">Population settings.</param>
    /// <param name="catalog">Instrument and asset specs.</param>
    /// <param name="risk">Risk configuration (portfolio grid for portfolio mode).</param>
    /// <param name="prices">Initial marks and asset prices; trades fill at the marks.</param>
    /// <param name="mode">Margin mode of every trading account.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="marketMaker">The market maker's id and deposits.</param>
    public static Population Generate(
        PopulationSettings settings,
        RiskCatalog catalog,
        RiskConfig risk,
        MarketPrices prices,
        MarginMode mode,
        ulong seed,
        MarketMakerSettings marketMaker)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(risk);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(marketMaker);
        var ctx = new Context(settings, catalog, risk, prices, mode);
        var rng = new Xoshiro256StarStar(new SplitMix64(seed ^ 0x706F70756C617469UL).Next()); // "populati": its own stream, apart from the GBM's
        var n = settings.Accounts;
        var deposits = new List<(string Asset, decimal Amount)>[n];
        var positions = new (int Instrument, decimal Size)[n][];
        for (var i = 0; i < n; i++)
        {
            (deposits[i], positions[i]) = ctx.Account(rng);
        }

        return Match(ctx, marketMaker, deposits, positions);
    }

    private static Population Match(Context ctx, MarketMakerSettings marketMaker, List<(string Asset, decimal Amount)>[] deposits, (int Instrument, decimal Size)[][] positions)
    {
        var n = positions.Length;
        var trades = new List<SeedTrade>[n];
        for (var i = 0; i < n; i++)
        {
            trades[i] = new List<SeedTrade>(positions[i].Length + 1);
        }

        var mmTrades = new List<SeedTrade>();
        var mmId = marketMaker.AccountId;
        // One pass buckets every position by instrument (in account-id order) and books the market maker's share.
        var longsBy = new List<(int Account, decimal Size)>[ctx.Instruments.Length];
        var shortsBy = new List<(int Account, decimal Size)>[ctx.Instruments.Length];
        for (var k = 0; k < ctx.Instruments.Length; k++)
        {
            longsBy[k] = new List<(int Account, decimal Size)>(n / 2);
            shortsBy[k] = new List<(int Account, decimal Size)>(n / 2);
        }

        for (var i = 0; i < n; i++)
        {
            foreach (var (k, size) in positions[i])
            {
                var spec = ctx.Instruments[k];
                var withMm = RoundLot(size * ctx.Settings.MarketMakerShare, spec.LotSize);
                if (withMm != 0m)
                {
                    AddPair(trades[i], mmTrades, spec.Id, withMm, ctx.Marks[k], AccountId(i), mmId);
                }

                var rest = size - withMm;
                if (rest > 0m)
                {
                    longsBy[k].Add((i, rest));
                }
                else if (rest < 0m)
                {
                    shortsBy[k].Add((i, -rest));
                }
            }
        }

        for (var k = 0; k < ctx.Instruments.Length; k++)
        {
            var spec = ctx.Instruments[k];
            var price = ctx.Marks[k];
            var longs = longsBy[k];
            var shorts = shortsBy[k];
            int a = 0, b = 0;
            decimal leftLong = longs.Count > 0 ? longs[0].Size : 0m, leftShort = shorts.Count > 0 ? shorts[0].Size : 0m;
            while (a < longs.Count && b < shorts.Count)
            {
                var q = Math.Min(leftLong, leftShort);
                var (la, sa) = (longs[a].Account, shorts[b].Account);
                trades[la].Add(new SeedTrade(spec.Id, q, price, AccountId(sa)));
                trades[sa].Add(new SeedTrade(spec.Id, -q, price, AccountId(la)));
                leftLong -= q;
                leftShort -= q;
                if (leftLong == 0m && ++a < longs.Count)
                {
                    leftLong = longs[a].Size;
                }

                if (leftShort == 0m && ++b < shorts.Count)
                {
                    leftShort = shorts[b].Size;
                }
            }

            for (; a < longs.Count; a++, leftLong = a < longs.Count ? longs[a].Size : 0m)
            {
                AddPair(trades[longs[a].Account], mmTrades, spec.Id, leftLong, price, AccountId(longs[a].Account), mmId);
            }

            for (; b < shorts.Count; b++, leftShort = b < shorts.Count ? shorts[b].Size : 0m)
            {
                AddPair(trades[shorts[b].Account], mmTrades, spec.Id, -leftShort, price, AccountId(shorts[b].Account), mmId);
            }
        }

        var seeds = new AccountSeed[n];
        for (var i = 0; i < n; i++)
        {
            var list = trades[i];
            if (ctx.Mode == MarginMode.Isolated)
            {
                list = ctx.AssignIsolatedMargin(list, deposits[i]);
            }

            seeds[i] = new AccountSeed(AccountId(i), ctx.Mode, deposits[i], list);
        }

        var mm = new AccountSeed(mmId, MarginMode.Cross, marketMaker.Deposits, mmTrades);
        return new Population(seeds, mm);
    }

    private static long AccountId(int index) => index + 1L;

    private static void AddPair(List<SeedTrade> account, List<SeedTrade> mm, string instrument, decimal size, decimal price, long accountId, long mmId)
    {
        account.Add(new SeedTrade(instrument, size, price, mmId));
        mm.Add(new SeedTrade(instrument, -size, price, accountId));
    }

    private static decimal RoundLot(decimal size, decimal lot) => decimal.Truncate(size / lot) * lot;

    /// <summary>Everything per run the per-account draws need, precomputed once.</summary>
    private sealed class Context
    {
        public Context(PopulationSettings settings, RiskCatalog catalog, RiskConfig risk, MarketPrices prices, MarginMode mode)
        {
            Settings = settings;
            Catalog = catalog;
            Risk = risk;
            Prices = prices;
            Mode = mode;
            Instruments = [.. catalog.Instruments.Values];
            Marks = [.. Instruments.Select(i => prices.Mark(i.Id))];
            SettlementPrices = [.. Instruments.Select(i => prices.Price(i.SettlementAsset))];
            InstrumentWeights = [.. settings.Instruments.Select(w => (Array.FindIndex(Instruments, i => i.Id == w.Value), w.Weight))];
            Leverage = [.. settings.Leverage.Select(w => (w.Value, w.Weight))];
            Mix = [.. settings.CollateralMix.Select(w => (w.Value, w.Weight))];
            Settlement = Instruments[InstrumentWeights[0].Index].SettlementAsset;
            // Spot hedges need a perp whose underlying is a collateral asset the mix can hold.
            SpotHedges = [.. InstrumentWeights.Where(w => catalog.Assets.ContainsKey(Instruments[w.Index].Underlying)
                && Instruments[w.Index].Underlying != Instruments[w.Index].SettlementAsset)];
            LogMedian = DeterministicMath.Log((double)settings.CollateralMedian);
        }

        public PopulationSettings Settings { get; }

        public RiskCatalog Catalog { get; }

        public RiskConfig Risk { get; }

        public MarketPrices Prices { get; }

        public MarginMode Mode { get; }

        public InstrumentSpec[] Instruments { get; }

        public decimal[] Marks { get; }

        public decimal[] SettlementPrices { get; }

        public (int Index, decimal Weight)[] InstrumentWeights { get; }

        public (decimal Value, decimal Weight)[] Leverage { get; }

        public (string Value, decimal Weight)[] Mix { get; }

        public (int Index, decimal Weight)[] SpotHedges { get; }

        public string Settlement { get; }

        public double LogMedian { get; }

        public (List<(string Asset, decimal Amount)> Deposits, (int Instrument, decimal Size)[] Positions) Account(Xoshiro256StarStar rng)
        {
            var s = Settings;
            var value = (decimal)DeterministicMath.Exp(LogMedian + (s.CollateralSigma * rng.NextGaussian()));
            value = Math.Round(Math.Clamp(value, s.CollateralMin, s.CollateralMax), 2, MidpointRounding.ToZero);
            var hedged = Uniform(rng) < s.HedgedShare;
            var spotHedge = hedged && SpotHedges.Length > 0 && Mode != MarginMode.Isolated && rng.NextDouble() < 0.5;

            var deposits = new List<(string Asset, decimal Amount)>(2);
            int spotIndex = -1;
            if (spotHedge)
            {
                spotIndex = Pick(rng, SpotHedges);
                deposits.Add((Instruments[spotIndex].Underlying, Amount(Instruments[spotIndex].Underlying, value)));
            }
            else if (Mode == MarginMode.Isolated)
            {
                // Isolated margin is posted in the settlement asset; draw the mix anyway so the stream matches other modes.
                _ = Pick(rng, Mix);
                _ = Uniform(rng);
                deposits.Add((Settlement, Amount(Settlement, value)));
            }
            else
            {
                var first = Pick(rng, Mix);
                if (Uniform(rng) < s.SecondAssetShare && Mix.Length > 1)
                {
                    var second = first;
                    for (var guard = 0; second == first && guard < 16; guard++)
                    {
                        second = Pick(rng, Mix);
                    }

                    if (second != first)
                    {
                        var half = Math.Round(value / 2m, 2, MidpointRounding.ToZero);
                        AddDeposit(deposits, first, Amount(first, half));
                        AddDeposit(deposits, second, Amount(second, value - half));
                    }
                    else
                    {
                        AddDeposit(deposits, first, Amount(first, value));
                    }
                }
                else
                {
                    AddDeposit(deposits, first, Amount(first, value));
                }

                deposits.Sort((x, y) => string.CompareOrdinal(x.Asset, y.Asset));
            }

            var weighted = WeightedCollateral(deposits);
            var drafts = new List<(int Instrument, decimal Notional)>(5);
            if (spotHedge)
            {
                // Long spot (the collateral) + short perp of the same notional: delta-neutral, safe in a crash.
                drafts.Add((spotIndex, -deposits[0].Amount * Prices.Price(deposits[0].Asset)));
            }
            else if (hedged && InstrumentWeights.Length > 1)
            {
                var longLeg = Pick(rng, InstrumentWeights);
                var shortLeg = longLeg;
                for (var guard = 0; shortLeg == longLeg && guard < 16; guard++)
                {
                    shortLeg = Pick(rng, InstrumentWeights);
                }

                shortLeg = shortLeg == longLeg ? InstrumentWeights.First(w => w.Index != longLeg).Index : shortLeg;
                var leg = weighted * s.HedgedLeverage / 2m;
                drafts.Add((longLeg, leg));
                drafts.Add((shortLeg, -leg));
            }
            else
            {
                var count = s.MinPositions + (int)(rng.NextUInt64() % (ulong)(s.MaxPositions - s.MinPositions + 1));
                var leverage = Pick(rng, Leverage);
                var chosen = new List<int>(count);
                var shares = new decimal[count];
                var total = 0m;
                while (chosen.Count < count)
                {
                    var k = Pick(rng, InstrumentWeights);
                    if (!chosen.Contains(k))
                    {
                        shares[chosen.Count] = 0.5m + (decimal)rng.NextDouble();
                        total += shares[chosen.Count];
                        chosen.Add(k);
                    }
                }

                var notional = weighted * leverage;
                for (var j = 0; j < count; j++)
                {
                    var sign = Uniform(rng) < s.LongShare ? 1m : -1m;
                    drafts.Add((chosen[j], sign * notional * shares[j] / total));
                }
            }

            return (deposits, Fit(drafts, deposits, weighted));
        }

        private void AddDeposit(List<(string Asset, decimal Amount)> deposits, string asset, decimal amount)
        {
            if (amount > 0m)
            {
                deposits.Add((asset, amount));
            }
        }

        /// <summary>Asset units worth <paramref name="value"/> (valuation asset), rounded down to 8 places (2 for a price-1 asset).</summary>
        private decimal Amount(string asset, decimal value)
        {
            var price = Prices.Price(asset);
            return Math.Round(value / price, price == 1m ? 2 : 8, MidpointRounding.ToZero);
        }

        private decimal WeightedCollateral(List<(string Asset, decimal Amount)> deposits)
        {
            var total = 0m;
            foreach (var (asset, amount) in deposits)
            {
                total += Catalog.Asset(asset).Haircut.Weighted(amount * Prices.Price(asset));
            }

            return total;
        }

        /// <summary>Sizes from notionals, rounded down to lots, scaled down until initial margin passes with a small cushion.</summary>
        private (int Instrument, decimal Size)[] Fit(List<(int Instrument, decimal Notional)> drafts, List<(string Asset, decimal Amount)> deposits, decimal weighted)
        {
            var sizes = new (int Instrument, decimal Size)[drafts.Count];
            var scale = 1m;
            // Portfolio margin charges the collateral's own price risk too: only the rest scales with the sizes.
            var fixedPart = Mode == MarginMode.Portfolio ? Initial([], deposits) : 0m;
            var budget = weighted * ImSafety;
            for (var attempt = 0; attempt < 12; attempt++)
            {
                for (var j = 0; j < drafts.Count; j++)
                {
                    var spec = Instruments[drafts[j].Instrument];
                    // One unit of size is worth mark (linear, base units) or the contract's face value (inverse, quote units).
                    var unit = spec.Kind == InstrumentKind.InversePerpetual ? spec.ContractSize : Marks[drafts[j].Instrument];
                    var size = RoundLot(drafts[j].Notional * scale / unit, spec.LotSize);
                    if (size == 0m)
                    {
                        size = drafts[j].Notional < 0m ? -spec.LotSize : spec.LotSize;
                    }

                    sizes[j] = (drafts[j].Instrument, size);
                }

                var initial = Initial(sizes, deposits);
                if (initial <= budget)
                {
                    return sizes;
                }

                scale *= initial > fixedPart && budget > fixedPart ? (budget - fixedPart) / (initial - fixedPart) * 0.99m : 0.5m;
            }

            // Even one lot per position is too much: keep positions, in draw order, while they fit.
            var kept = new List<(int Instrument, decimal Size)>(sizes.Length);
            foreach (var p in sizes)
            {
                kept.Add((p.Instrument, Math.Sign(p.Size) * Instruments[p.Instrument].LotSize));
                if (Initial([.. kept], deposits) > budget)
                {
                    kept.RemoveAt(kept.Count - 1);
                }
            }

            if (kept.Count == 0)
            {
                throw new RunInputException($"crossmargin.engine.population: an account with {ConfigReader.Text(Math.Round(weighted, 2))} of collateral cannot afford one lot of any drawn instrument in {Mode.ToString().ToLowerInvariant()} margin; raise crossmargin.engine.population.collateral.min");
            }

            return [.. kept];
        }

        /// <summary>Initial margin at the initial prices (valuation asset); portfolio mode asks the risk core's scenario grid.</summary>
        public decimal Initial((int Instrument, decimal Size)[] sizes, List<(string Asset, decimal Amount)> deposits)
        {
            if (Mode == MarginMode.Portfolio)
            {
                var account = global::CrossMargin.Risk.Model.Account.Empty("draft", MarginMode.Portfolio);
                foreach (var (asset, amount) in deposits)
                {
                    account = account.WithBalance(asset, amount);
                }

                foreach (var (k, size) in sizes)
                {
                    var spec = Instruments[k];
                    var existing = account.Positions.TryGetValue(spec.Id, out var p) ? p.Size : 0m;
                    account = account.WithPosition(Position.Open(spec, existing + size, Marks[k]));
                }

                return MarginEngine.Evaluate(account, Catalog, Prices, Risk.Portfolio).Initial;
            }

            var total = 0m;
            foreach (var (k, size) in sizes)
            {
                total += PositionMath.Requirement(Instruments[k], size, Marks[k]).Initial * SettlementPrices[k];
            }

            return total;
        }

        /// <summary>Shares the isolated pool (settlement asset) out over the trades in proportion to each trade's initial margin.</summary>
        public List<SeedTrade> AssignIsolatedMargin(List<SeedTrade> trades, List<(string Asset, decimal Amount)> deposits)
        {
            var pool = deposits.Where(d => d.Asset == Settlement).Sum(d => d.Amount) * ImSafety;
            var ims = new decimal[trades.Count];
            var total = 0m;
            for (var j = 0; j < trades.Count; j++)
            {
                var spec = Catalog.Instrument(trades[j].Instrument);
                var position = trades.Where(t => t.Instrument == spec.Id).Sum(t => t.Size);
                var im = PositionMath.Requirement(spec, position, trades[j].Price).Initial;
                ims[j] = position == 0m ? 0m : im * Math.Abs(trades[j].Size / position);
                total += ims[j];
            }

            if (total == 0m)
            {
                return trades;
            }

            var result = new List<SeedTrade>(trades.Count);
            for (var j = 0; j < trades.Count; j++)
            {
                result.Add(trades[j] with { IsolatedMargin = Math.Round(pool * ims[j] / total, 2, MidpointRounding.ToZero) });
            }

            return result;
        }

        private static decimal Uniform(Xoshiro256StarStar rng) => (decimal)rng.NextDouble();

        private static T Pick<T>(Xoshiro256StarStar rng, (T Value, decimal Weight)[] options)
        {
            var total = 0m;
            foreach (var o in options)
            {
                total += o.Weight;
            }

            var x = (decimal)rng.NextDouble() * total;
            foreach (var o in options)
            {
                if (x < o.Weight)
                {
                    return o.Value;
                }

                x -= o.Weight;
            }

            return options[^1].Value;
        }
    }
}
