using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CrossMargin.Hocon;

/// <summary>
/// An object: keys in the order they were first written, each mapped to a value. Immutable.
/// </summary>
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly Dictionary<string, HoconValue> _fields;
    private readonly string[] _keys;

    /// <summary>Creates an object from <paramref name="fields"/>, keeping their order; a later duplicate key replaces an earlier one.</summary>
    public HoconObject(IEnumerable<KeyValuePair<string, HoconValue>> fields, HoconOrigin origin)
        : base(origin)
    {
        _fields = new Dictionary<string, HoconValue>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var (key, value) in fields)
        {
            if (!_fields.ContainsKey(key))
            {
                keys.Add(key);
            }

            _fields[key] = value;
        }

        _keys = keys.ToArray();
        _isResolved = _fields.Values.All(v => v.IsResolved);
    }

    private readonly bool _isResolved;

    /// <summary>An empty object with the given origin.</summary>
    public static HoconObject Empty(HoconOrigin origin) => new([], origin);

    /// <summary>Keys in first-written order.</summary>
    public IReadOnlyList<string> KeyList => _keys;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _keys;

    /// <inheritdoc />
    public IEnumerable<HoconValue> Values => _keys.Select(k => _fields[k]);

    /// <inheritdoc />
    public int Count => _keys.Length;

    /// <inheritdoc />
    public HoconValue this[string key] => _fields[key];

    internal override bool IsResolved => _isResolved;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator()
    {
        foreach (var key in _keys)
        {
            yield return new KeyValuePair<string, HoconValue>(key, _fields[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal override string Describe() => "object";
}
