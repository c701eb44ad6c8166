namespace CrossMargin.Hocon;

/// <summary>
/// Fields of one object while it is parsed. Object values are kept as nested builders so that many path keys
/// into one object (<c>a.b.k1 = 1</c>, <c>a.b.k2 = 2</c>, ...) merge in place instead of copying the object each time.
/// </summary>
internal sealed class HoconObjectBuilder(HoconOrigin origin)
{
    private readonly Dictionary<string, object> _fields = new(StringComparer.Ordinal); // HoconValue or HoconObjectBuilder
    private readonly List<string> _order = [];

    /// <summary>Merges <paramref name="value"/> at <paramref name="key"/>[<paramref name="from"/>..] over what is there.</summary>
    public void Set(IReadOnlyList<string> key, int from, HoconValue value, HoconOrigin keyOrigin)
    {
        var name = key[from];
        _fields.TryGetValue(name, out var existing);
        var last = from == key.Count - 1;
        if (last && value is not HoconObject)
        {
            Put(name, existing is null ? value : HoconMerger.Merge(value, Built(existing)));
            return;
        }

        var child = ChildBuilder(name, existing, keyOrigin);
        if (child is null)
        {
            // Below an unresolved value (e.g. a substitution): defer to a delayed merge.
            var wrapped = value;
            for (var i = key.Count - 1; i > from; i--)
            {
                wrapped = new HoconObject([new(key[i], wrapped)], keyOrigin);
            }

            Put(name, HoconMerger.Merge(wrapped, Built(existing!)));
            return;
        }

        if (!last)
        {
            child.Set(key, from + 1, value, keyOrigin);
            return;
        }

        foreach (var (fieldKey, fieldValue) in (HoconObject)value)
        {
            child.Set([fieldKey], 0, fieldValue, fieldValue.Origin);
        }
    }

    public HoconObject Build() =>
        new(_order.Select(k => new KeyValuePair<string, HoconValue>(k, Built(_fields[k]))), origin);

    /// <summary>The builder for an object at <paramref name="name"/>, or null when an unresolved value sits there.</summary>
    private HoconObjectBuilder? ChildBuilder(string name, object? existing, HoconOrigin keyOrigin)
    {
        switch (existing)
        {
            case HoconObjectBuilder builder:
                return builder;
            case HoconObject obj:
                var converted = new HoconObjectBuilder(obj.Origin);
                foreach (var (k, v) in obj)
                {
                    converted.Set([k], 0, v, v.Origin);
                }

                Put(name, converted);
                return converted;
            case null:
            case HoconScalar:
            case HoconArray:
                // An object replaces a non-object.
                var fresh = new HoconObjectBuilder(keyOrigin);
                Put(name, fresh);
                return fresh;
            default:
                return null;
        }
    }

    private void Put(string name, object value)
    {
        if (!_fields.ContainsKey(name))
        {
            _order.Add(name);
        }

        _fields[name] = value;
    }

    private static HoconValue Built(object field) => field is HoconObjectBuilder builder ? builder.Build() : (HoconValue)field;
}
