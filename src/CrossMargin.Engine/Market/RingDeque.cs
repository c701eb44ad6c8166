namespace CrossMargin.Engine.Market;

/// <summary>A growable circular double-ended queue; allocation-free once it has reached its working size.</summary>
internal sealed class RingDeque<T>
{
    private T[] _items = new T[16];
    private int _head;

    public int Count { get; private set; }

    public T First => _items[_head];

    public T Last => _items[(_head + Count - 1) % _items.Length];

    public void AddLast(T item)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[(_head + Count) % _items.Length] = item;
        Count++;
    }

    public void RemoveFirst()
    {
        _items[_head] = default!;
        _head = (_head + 1) % _items.Length;
        Count--;
    }

    public void RemoveLast()
    {
        Count--;
        _items[(_head + Count) % _items.Length] = default!;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        Count = 0;
    }

    private void Grow()
    {
        var bigger = new T[_items.Length * 2];
        for (int i = 0; i < Count; i++)
        {
            bigger[i] = _items[(_head + i) % _items.Length];
        }

        _items = bigger;
        _head = 0;
    }
}
