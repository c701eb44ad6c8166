using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CrossMargin.Risk.Bands;

/// <summary>
/// Bands by price id (instrument id for marks, asset id for asset prices), in ordinal order of the id. Immutable and
/// thread-safe. A sorted pair of arrays: an account depends on a handful of prices, and a re-margin builds two of
/// these, so they cost two arrays each instead of a tree node per entry.
/// </summary>
public sealed class BandMap : IReadOnlyDictionary<string, PriceBand>
{
    private readonly string[] _keys;
    private readonly PriceBand[] _values;

    /// <summary>A map with no bands.</summary>
    public static BandMap Empty { get; } = new([], []);

    private BandMap(string[] keys, PriceBand[] values) => (_keys, _values) = (keys, values);

    /// <summary>
    /// The first <paramref name="count"/> entries of <paramref name="keys"/> and <paramref name="values"/> (taken over:
    /// sorted in place), ordered by id; of entries with the same id the last one written is kept.
    /// </summary>
    internal static BandMap From(string[] keys, PriceBand[] values, int count)
    {
        if (count == 0)
        {
            return Empty;
        }

        // Stable order matters only for equal ids, whose bands are equal where this is used (one price, one band).
        Array.Sort(keys, values, 0, count, StringComparer.Ordinal);
        var distinct = 1;
        for (var i = 1; i < count; i++)
        {
            if (!string.Equals(keys[i], keys[distinct - 1], StringComparison.Ordinal))
            {
                (keys[distinct], values[distinct]) = (keys[i], values[i]);
                distinct++;
            }
            else
            {
                values[distinct - 1] = values[i];
            }
        }

        return distinct == keys.Length ? new BandMap(keys, values) : new BandMap(keys[..distinct], values[..distinct]);
    }

    /// <inheritdoc />
    public int Count => _keys.Length;

    /// <inheritdoc />
    public PriceBand this[string key] => TryGetValue(key, out var band) ? band : throw new KeyNotFoundException($"no band for '{key}'");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _keys;

    /// <inheritdoc />
    public IEnumerable<PriceBand> Values => _values;

    /// <inheritdoc />
    public bool ContainsKey(string key) => Find(key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out PriceBand value)
    {
        var i = Find(key);
        value = i >= 0 ? _values[i] : default;
        return i >= 0;
    }

    /// <summary>Entries in id order, without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, PriceBand>> IEnumerable<KeyValuePair<string, PriceBand>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (lo, hi) = (0, _keys.Length - 1);
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_keys[mid], key);
            if (c == 0)
            {
                return mid;
            }

            (lo, hi) = c < 0 ? (mid + 1, hi) : (lo, mid - 1);
        }

        return -1;
    }

    /// <summary>Enumerates a <see cref="BandMap"/> in id order.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, PriceBand>>
    {
        private readonly BandMap _map;
        private int _index;

        internal Enumerator(BandMap map) => (_map, _index) = (map, -1);

        /// <inheritdoc />
        public readonly KeyValuePair<string, PriceBand> Current => new(_map._keys[_index], _map._values[_index]);

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext() => ++_index < _map._keys.Length;

        /// <inheritdoc />
        public void Reset() => _index = -1;

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
