using CrossMargin.Engine.Bands;
using CrossMargin.Engine.Feeds;

namespace CrossMargin.Engine.Tests.Bands;

public sealed class BandIndexTests
{
    [Fact]
    public void A_fall_below_a_low_should_wake_only_that_account_and_unregister_it()
    {
        var index = new BandIndex();
        index.Register(1, 90m, 110m);
        index.Register(2, 80m, 120m);
        index.Register(3, 95m, 105m);
        var woken = new List<long>();
        Assert.Equal(2, index.Wake(89m, woken));
        Assert.Equal([1L, 3L], woken);
        Assert.Equal(1, index.Count);
        Assert.True(index.Contains(2));
        Assert.False(index.Contains(1));
    }

    [Fact]
    public void A_rise_above_a_high_should_wake_the_account_and_bounds_are_inclusive()
    {
        var index = new BandIndex();
        index.Register(7, 90m, 110m);
        var woken = new List<long>();
        Assert.Equal(0, index.Wake(110m, woken));
        Assert.Equal(0, index.Wake(90m, woken));
        Assert.Equal(1, index.Wake(110.01m, woken));
        Assert.Equal([7L], woken);
    }

    [Fact]
    public void Edges_one_double_apart_or_closer_should_wake_by_their_exact_decimal_values()
    {
        // The heaps order by double first; these edges differ only past double's 16 digits, so the decimals decide.
        var index = new BandIndex();
        var lows = new[] { 1.00000000000000000030m, 1.00000000000000000010m, 1.00000000000000000020m };
        var highs = new[] { 2.00000000000000000020m, 2.00000000000000000010m, 2.00000000000000000030m };
        for (var i = 0; i < lows.Length; i++)
        {
            Assert.Equal((double)lows[0], (double)lows[i]);
            Assert.Equal((double)highs[0], (double)highs[i]);
            index.Register(i + 1, lows[i], 3m);
        }

        var woken = new List<long>();
        Assert.Equal(1, index.Wake(1.00000000000000000025m, woken));
        Assert.Equal([1L], woken);
        Assert.Equal(1, index.Wake(1.00000000000000000015m, woken));
        Assert.Equal([1L, 3L], woken);
        Assert.Equal(0, index.Wake(1.00000000000000000010m, woken));

        var rises = new BandIndex();
        for (var i = 0; i < highs.Length; i++)
        {
            rises.Register(i + 1, 1m, highs[i]);
        }

        woken.Clear();
        Assert.Equal(0, rises.Wake(2.00000000000000000010m, woken));
        Assert.Equal(1, rises.Wake(2.00000000000000000015m, woken));
        Assert.Equal(1, rises.Wake(2.00000000000000000025m, woken));
        Assert.Equal([2L, 1L], woken);
        Assert.Equal(1, rises.Count);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Registering_again_should_replace_the_band_and_remove_should_forget_it()
    {
        var index = new BandIndex();
        index.Register(1, 90m, 110m);
        index.Register(1, new Band(50m, 60m));
        Assert.True(index.TryGetBand(1, out Band band));
        Assert.Equal(new Band(50m, 60m), band);
        Assert.Equal(1, index.Count);
        var woken = new List<long>();
        Assert.Equal(1, index.Wake(100m, woken));
        index.Register(2, 1m, 2m);
        Assert.True(index.Remove(2));
        Assert.False(index.Remove(2));
        Assert.Equal(0, index.Wake(1000m, woken));
    }

    [Fact]
    public void Woken_accounts_should_be_appended_in_ascending_id_after_what_the_buffer_held()
    {
        var index = new BandIndex();
        foreach (long id in new long[] { 9, 4, 7, 1 })
        {
            index.Register(id, 100m - id, 200m);
        }

        var woken = new List<long> { 42 };
        Assert.Equal(4, index.Wake(50m, woken));
        Assert.Equal([42L, 1L, 4L, 7L, 9L], woken);
    }

    [Fact]
    public void An_empty_band_should_be_refused()
    {
        Assert.Throws<ArgumentException>(() => new BandIndex().Register(1, 2m, 1m));
    }

    [Fact]
    public void The_index_should_wake_the_same_accounts_as_a_naive_scan_over_random_bands_and_price_walks()
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var rng = new Xoshiro256StarStar(seed);
            var index = new BandIndex(4);
            var naive = new NaiveBands();
            decimal price = 100m;
            for (int step = 0; step < 2_000; step++)
            {
                double action = rng.NextDouble();
                long account = (long)(rng.NextUInt64() % 300);
                if (action < 0.45)
                {
                    decimal low = price - (decimal)(rng.NextUInt64() % 500) / 100m;
                    decimal high = price + (decimal)(rng.NextUInt64() % 500) / 100m;
                    index.Register(account, low, high);
                    naive.Register(account, low, high);
                }
                else if (action < 0.5)
                {
                    Assert.Equal(naive.Remove(account), index.Remove(account));
                }
                else
                {
                    price += (decimal)((long)(rng.NextUInt64() % 401) - 200) / 100m;
                    var fromIndex = new List<long>();
                    int count = index.Wake(price, fromIndex);
                    List<long> fromNaive = naive.Wake(price);
                    Assert.Equal(fromNaive, fromIndex);
                    Assert.Equal(fromIndex.Count, count);
                }

                Assert.Equal(naive.Count, index.Count);
            }
        }
    }

    [Fact]
    public void With_100000_registrations_a_quiet_tick_should_wake_nothing_and_allocate_nothing()
    {
        var index = new BandIndex(100_000);
        for (long id = 0; id < 100_000; id++)
        {
            index.Register(id, 50_000m - (id % 1_000), 70_000m + (id % 1_000));
        }

        var woken = new List<long>(1_024);
        index.Wake(60_000m, woken);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 10_000; i++)
        {
            total += index.Wake(60_000m + (i % 100), woken);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, total);
        Assert.Equal(0, allocated);

        // Falling to 49,100 wakes every account whose low is above it: id % 1000 < 900, i.e. 90,000 accounts.
        Assert.Equal(90_000, index.Wake(49_100m, woken));
        Assert.Equal(10_000, index.Count);
        Assert.True(woken.SequenceEqual(woken.Order()));
    }

    /// <summary>The reference the index is checked against: a dictionary scanned in full on every tick.</summary>
    private sealed class NaiveBands
    {
        private readonly Dictionary<long, Band> _bands = [];

        public int Count => _bands.Count;

        public void Register(long account, decimal low, decimal high) => _bands[account] = new Band(low, high);

        public bool Remove(long account) => _bands.Remove(account);

        public List<long> Wake(decimal price)
        {
            var woken = _bands.Where(kv => !kv.Value.Contains(price)).Select(kv => kv.Key).Order().ToList();
            foreach (long account in woken)
            {
                _bands.Remove(account);
            }

            return woken;
        }
    }
}
