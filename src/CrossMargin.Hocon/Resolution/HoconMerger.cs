namespace CrossMargin.Hocon;

/// <summary>
/// HOCON's merge rule for two values given to the same key: objects merge key by key (newer wins), anything else
/// newer replaces older. When either side is unresolved the decision is deferred to a <see cref="HoconDelayedMerge"/>.
/// Never mutates its inputs.
/// </summary>
internal static class HoconMerger
{
    public static HoconValue Merge(HoconValue newer, HoconValue? older)
    {
        if (older is null)
        {
            return newer;
        }

        if (newer is HoconSelfReference self)
        {
            // The older value is exactly what the self-reference means by "previous value".
            var previous = self.Previous is null ? older : Merge(self.Previous, older);
            return new HoconSelfReference(self.Value, self.Path, previous);
        }

        if (newer is HoconObject newObject)
        {
            if (older is HoconObject oldObject)
            {
                return MergeObjects(newObject, oldObject);
            }

            return older is HoconScalar or HoconArray ? newer : Layer(newer, older);
        }

        if (newer is HoconScalar or HoconArray)
        {
            return newer;
        }

        // Substitution, concatenation or delayed merge on top: its resolved kind decides.
        return Layer(newer, older);
    }

    public static HoconObject MergeObjects(HoconObject newer, HoconObject older)
    {
        var fields = new List<KeyValuePair<string, HoconValue>>(older.Count + newer.Count);
        foreach (var (key, oldValue) in older)
        {
            var value = newer.TryGetValue(key, out var newValue) ? Merge(newValue, oldValue) : oldValue;
            fields.Add(new(key, value));
        }

        foreach (var (key, newValue) in newer)
        {
            if (!older.ContainsKey(key))
            {
                fields.Add(new(key, newValue));
            }
        }

        return new HoconObject(fields, older.Count == 0 ? newer.Origin : older.Origin);
    }

    private static HoconDelayedMerge Layer(HoconValue newer, HoconValue older)
    {
        var layers = new List<HoconValue>();
        Flatten(newer, layers);
        Flatten(older, layers);
        return new HoconDelayedMerge(layers);
    }

    private static void Flatten(HoconValue value, List<HoconValue> into)
    {
        if (value is HoconDelayedMerge merge)
        {
            into.AddRange(merge.Layers);
        }
        else
        {
            into.Add(value);
        }
    }
}
