namespace CrossMargin.Engine.Bands;

/// <summary>
/// The index a price feed keeps so that a tick wakes only the accounts it can move across a risk-state boundary.
/// Each account registers one <see cref="Band"/> for this price; <see cref="Wake"/> returns (and unregisters) every
/// account whose band no longer contains the new price. The woken account re-margins and registers again.
/// </summary>
/// <remarks>
/// <para>Two indexed binary heaps over the same registrations: a max-heap on the lower bound (a fall below it pops
/// from the top) and a min-heap on the upper bound (a rise above it pops from the top). Register, update and
/// remove cost O(log n); a tick that wakes k accounts costs O(k log n); a tick that wakes none costs O(1) and
/// allocates nothing. Storage grows by doubling and is reused, so a steady state allocates nothing.</para>
/// <para>Not thread-safe: one index per price, owned by one feed.</para>
/// </remarks>
public sealed class BandIndex
{
    private const int NoSlot = -1;
    private readonly Dictionary<long, int> _slotOf;
    private long[] _account;
    private decimal[] _low;
    private decimal[] _high;

    // The edges as doubles, for the heap order: a double comparison decides unless the two doubles are equal, and only
    // then are the decimals compared. (double)decimal never reverses an order, so the heaps keep the exact decimal
    // order at a fraction of the cost (a re-margin registers a band on every price it depends on: O(log n) each).
    private double[] _lowD;
    private double[] _highD;
    private int[] _lowPos;
    private int[] _highPos;
    private int[] _lowHeap;
    private int[] _highHeap;
    private int[] _free;
    private int _freeCount;
    private int _slotsUsed;

    /// <summary>Creates an empty index sized for <paramref name="capacity"/> registrations (it grows as needed).</summary>
    public BandIndex(int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        capacity = Math.Max(capacity, 4);
        _slotOf = new Dictionary<long, int>(capacity);
        _account = new long[capacity];
        _low = new decimal[capacity];
        _high = new decimal[capacity];
        _lowD = new double[capacity];
        _highD = new double[capacity];
        _lowPos = new int[capacity];
        _highPos = new int[capacity];
        _lowHeap = new int[capacity];
        _highHeap = new int[capacity];
        _free = new int[capacity];
    }

    /// <summary>Number of registered accounts.</summary>
    public int Count { get; private set; }

    /// <summary>True when <paramref name="accountId"/> has a band registered.</summary>
    public bool Contains(long accountId) => _slotOf.ContainsKey(accountId);

    /// <summary>The band registered for <paramref name="accountId"/>, if any.</summary>
    public bool TryGetBand(long accountId, out Band band)
    {
        if (_slotOf.TryGetValue(accountId, out int slot))
        {
            band = new Band(_low[slot], _high[slot]);
            return true;
        }

        band = default;
        return false;
    }

    /// <summary>Registers <paramref name="accountId"/> with [<paramref name="low"/>, <paramref name="high"/>], replacing any band it had.</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is above <paramref name="high"/>.</exception>
    public void Register(long accountId, decimal low, decimal high)
    {
        if (low > high)
        {
            throw new ArgumentException($"Band for account {accountId} is empty: low {low} > high {high}.", nameof(low));
        }

        if (_slotOf.TryGetValue(accountId, out int slot))
        {
            Set(slot, low, high);
            Fix(_lowHeap, _lowPos, _lowPos[slot], lowHeap: true);
            Fix(_highHeap, _highPos, _highPos[slot], lowHeap: false);
            return;
        }

        slot = AllocateSlot();
        _account[slot] = accountId;
        Set(slot, low, high);
        _slotOf.Add(accountId, slot);
        int position = Count++;
        _lowHeap[position] = slot;
        _lowPos[slot] = position;
        _highHeap[position] = slot;
        _highPos[slot] = position;
        SiftUp(_lowHeap, _lowPos, position, lowHeap: true);
        SiftUp(_highHeap, _highPos, position, lowHeap: false);
    }

    private void Set(int slot, decimal low, decimal high)
    {
        (_low[slot], _high[slot]) = (low, high);
        (_lowD[slot], _highD[slot]) = ((double)low, (double)high);
    }

    /// <summary>Registers or replaces the band of <paramref name="accountId"/>.</summary>
    public void Register(long accountId, Band band) => Register(accountId, band.Low, band.High);

    /// <summary>Removes the registration of <paramref name="accountId"/>; false when it had none.</summary>
    public bool Remove(long accountId)
    {
        if (!_slotOf.TryGetValue(accountId, out int slot))
        {
            return false;
        }

        RemoveSlot(slot);
        return true;
    }

    /// <summary>Removes every registration (capacity is kept).</summary>
    public void Clear()
    {
        _slotOf.Clear();
        Count = 0;
        _freeCount = 0;
        _slotsUsed = 0;
    }

    /// <summary>
    /// For a new price: appends to <paramref name="woken"/> every account whose band does not contain
    /// <paramref name="price"/> (price &lt; low or price &gt; high), in ascending account id, and unregisters them.
    /// </summary>
    /// <returns>The number of accounts appended.</returns>
    public int Wake(decimal price, List<long> woken)
    {
        ArgumentNullException.ThrowIfNull(woken);
        int start = woken.Count;
        while (Count > 0 && _low[_lowHeap[0]] > price)
        {
            int slot = _lowHeap[0];
            woken.Add(_account[slot]);
            RemoveSlot(slot);
        }

        while (Count > 0 && _high[_highHeap[0]] < price)
        {
            int slot = _highHeap[0];
            woken.Add(_account[slot]);
            RemoveSlot(slot);
        }

        int added = woken.Count - start;
        if (added > 1)
        {
            woken.Sort(start, added, Comparer<long>.Default);
        }

        return added;
    }

    private int AllocateSlot()
    {
        if (_freeCount > 0)
        {
            return _free[--_freeCount];
        }

        if (_slotsUsed == _account.Length)
        {
            Grow();
        }

        return _slotsUsed++;
    }

    private void Grow()
    {
        int size = _account.Length * 2;
        Array.Resize(ref _account, size);
        Array.Resize(ref _low, size);
        Array.Resize(ref _high, size);
        Array.Resize(ref _lowD, size);
        Array.Resize(ref _highD, size);
        Array.Resize(ref _lowPos, size);
        Array.Resize(ref _highPos, size);
        Array.Resize(ref _lowHeap, size);
        Array.Resize(ref _highHeap, size);
        Array.Resize(ref _free, size);
    }

    private void RemoveSlot(int slot)
    {
        _slotOf.Remove(_account[slot]);
        int last = Count - 1;
        RemoveAt(_lowHeap, _lowPos, _lowPos[slot], last, lowHeap: true);
        RemoveAt(_highHeap, _highPos, _highPos[slot], last, lowHeap: false);
        Count = last;
        _lowPos[slot] = NoSlot;
        _highPos[slot] = NoSlot;
        _free[_freeCount++] = slot;
    }

    /// <summary>Removes heap[position] by moving heap[last] into it; the caller shrinks <see cref="Count"/> afterwards.</summary>
    private void RemoveAt(int[] heap, int[] pos, int position, int last, bool lowHeap)
    {
        if (position == last)
        {
            return;
        }

        int moved = heap[last];
        heap[position] = moved;
        pos[moved] = position;
        FixWithin(heap, pos, position, last, lowHeap);
    }

    private void Fix(int[] heap, int[] pos, int position, bool lowHeap) => FixWithin(heap, pos, position, Count, lowHeap);

    private void FixWithin(int[] heap, int[] pos, int position, int size, bool lowHeap)
    {
        if (position > 0 && Before(heap[position], heap[(position - 1) / 2], lowHeap))
        {
            SiftUp(heap, pos, position, lowHeap);
        }
        else
        {
            SiftDown(heap, pos, position, size, lowHeap);
        }
    }

    private void SiftUp(int[] heap, int[] pos, int position, bool lowHeap)
    {
        int slot = heap[position];
        while (position > 0)
        {
            int parent = (position - 1) / 2;
            if (!Before(slot, heap[parent], lowHeap))
            {
                break;
            }

            heap[position] = heap[parent];
            pos[heap[position]] = position;
            position = parent;
        }

        heap[position] = slot;
        pos[slot] = position;
    }

    private void SiftDown(int[] heap, int[] pos, int position, int size, bool lowHeap)
    {
        int slot = heap[position];
        while (true)
        {
            int child = (2 * position) + 1;
            if (child >= size)
            {
                break;
            }

            if (child + 1 < size && Before(heap[child + 1], heap[child], lowHeap))
            {
                child++;
            }

            if (!Before(heap[child], slot, lowHeap))
            {
                break;
            }

            heap[position] = heap[child];
            pos[heap[position]] = position;
            position = child;
        }

        heap[position] = slot;
        pos[slot] = position;
    }

    /// <summary>
    /// Heap order. Low heap: higher low first (first to be woken by a fall). High heap: lower high first. Ties by
    /// account id, so the structure (and the pop order) is a pure function of the registrations.
    /// </summary>
    private bool Before(int a, int b, bool lowHeap)
    {
        if (lowHeap)
        {
            double la = _lowD[a], lb = _lowD[b];
            if (la != lb)
            {
                return la > lb;
            }

            int byLow = _low[a].CompareTo(_low[b]);
            return byLow != 0 ? byLow > 0 : _account[a] < _account[b];
        }

        double ha = _highD[a], hb = _highD[b];
        if (ha != hb)
        {
            return ha < hb;
        }

        int byHigh = _high[a].CompareTo(_high[b]);
        return byHigh != 0 ? byHigh < 0 : _account[a] < _account[b];
    }
}
