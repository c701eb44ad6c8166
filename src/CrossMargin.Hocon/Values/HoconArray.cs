using System.Collections;

namespace CrossMargin.Hocon;

/// <summary>An ordered list of values. Immutable.</summary>
public sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly HoconValue[] _items;

    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    public HoconArray(IEnumerable<HoconValue> items, HoconOrigin origin)
        : base(origin)
    {
        _items = items.ToArray();
        _isResolved = Array.TrueForAll(_items, i => i.IsResolved);
    }

    private readonly bool _isResolved;

    /// <inheritdoc />
    public HoconValue this[int index] => _items[index];

    /// <inheritdoc />
    public int Count => _items.Length;

    internal override bool IsResolved => _isResolved;

    /// <inheritdoc />
    public IEnumerator<HoconValue> GetEnumerator() => ((IEnumerable<HoconValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal override string Describe() => "array";
}
