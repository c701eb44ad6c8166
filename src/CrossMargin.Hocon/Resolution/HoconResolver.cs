namespace CrossMargin.Hocon;

/// <summary>
/// Replaces substitutions, concatenations and delayed merges with plain values, lazily and path by path, so a
/// substitution may look forward or into a partly resolved object. Detects cycles. One instance per resolve call.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?>? _environment;
    private readonly Dictionary<string, HoconValue?> _resolved = new(StringComparer.Ordinal);
    private readonly List<(string Key, HoconValue Node)> _inProgress = [];
    private readonly HashSet<HoconValue> _previousInProgress = new(ReferenceEqualityComparer.Instance);

    private HoconResolver(HoconObject root, Func<string, string?>? environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>
    /// Resolves <paramref name="root"/>. <paramref name="environment"/> answers substitutions whose path is absent
    /// (HOCON's environment fallback); pass null to switch the fallback off.
    /// </summary>
    public static HoconObject Resolve(HoconObject root, Func<string, string?>? environment)
    {
        if (root.IsResolved)
        {
            return root;
        }

        var resolver = new HoconResolver(root, environment);
        return (HoconObject)resolver.ResolveNode(root, [], addressable: true, context: null)!;
    }

    private static string Key(IReadOnlyList<string> path) => string.Join('\u0001', path);

    /// <summary>Resolves the node that sits at <paramref name="path"/> in the final tree, once, with cycle detection.</summary>
    private HoconValue? ResolveAtPath(IReadOnlyList<string> path, HoconValue node)
    {
        if (node.IsResolved)
        {
            return node;
        }

        var key = Key(path);
        if (_resolved.TryGetValue(key, out var done))
        {
            return done;
        }

        if (_inProgress.Exists(p => p.Key == key))
        {
            var chain = _inProgress.SkipWhile(p => p.Key != key).Select(p => $"{HoconPath.Render(p.Key.Split('\u0001'))} ({p.Node.Origin})");
            var pathText = HoconPath.Render(path);
            throw new HoconResolveException(
                $"cycle in substitutions: {string.Join(" -> ", chain)} -> {pathText} again; '{pathText}' depends on itself",
                node.Origin);
        }

        _inProgress.Add((key, node));
        try
        {
            var value = ResolveNode(node, path, addressable: true, context: null);
            _resolved[key] = value;
            return value;
        }
        finally
        {
            _inProgress.RemoveAt(_inProgress.Count - 1);
        }
    }

    /// <summary>
    /// <paramref name="addressable"/>: the node is the value at <paramref name="path"/> in the final tree (so its
    /// fields may be memoised by path); false inside arrays, concatenations, merge layers and self-references.
    /// </summary>
    private HoconValue? ResolveNode(HoconValue node, IReadOnlyList<string> path, bool addressable, SelfContext? context)
    {
        if (node.IsResolved)
        {
            return node;
        }

        return node switch
        {
            HoconObject obj => ResolveObject(obj, path, addressable, context),
            HoconArray array => new HoconArray(
                array.Select(item => ResolveNode(item, path, addressable: false, context)).OfType<HoconValue>(), array.Origin),
            HoconSubstitution substitution => Lookup(substitution, context),
            HoconConcatenation concatenation => ResolveConcatenation(concatenation, path, context),
            HoconDelayedMerge merge => ResolveMerge(merge, path, context),
            HoconSelfReference self => ResolveNode(self.Value, path, addressable: false, new SelfContext(self.Path, self.Previous, context)),
            _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name} at {node.Origin}"),
        };
    }

    private HoconObject ResolveObject(HoconObject obj, IReadOnlyList<string> path, bool addressable, SelfContext? context)
    {
        var fields = new List<KeyValuePair<string, HoconValue>>(obj.Count);
        foreach (var (key, child) in obj)
        {
            var childPath = PathSegments.Append(path, key);
            var value = addressable && context is null
                ? ResolveAtPath(childPath, child)
                : ResolveNode(child, childPath, addressable: false, context);
            if (value is not null)
            {
                fields.Add(new(key, value));
            }
        }

        return new HoconObject(fields, obj.Origin);
    }

    private HoconValue? ResolveConcatenation(HoconConcatenation concatenation, IReadOnlyList<string> path, SelfContext? context)
    {
        var pieces = new List<HoconValue>(concatenation.Pieces.Count);
        foreach (var piece in concatenation.Pieces)
        {
            var value = piece is HoconConcatenation.Whitespace ? piece : ResolveNode(piece, path, addressable: false, context);
            if (value is not null)
            {
                pieces.Add(value);
            }
        }

        var meaningful = pieces.Where(p => p is not HoconConcatenation.Whitespace).ToList();
        if (meaningful.Count == 0)
        {
            return null;
        }

        if (meaningful.Count == 1)
        {
            return meaningful[0];
        }

        if (meaningful.TrueForAll(p => p is HoconArray))
        {
            return new HoconArray(meaningful.SelectMany(p => (HoconArray)p), concatenation.Origin);
        }

        if (meaningful.TrueForAll(p => p is HoconObject))
        {
            var merged = (HoconObject)meaningful[0];
            for (var i = 1; i < meaningful.Count; i++)
            {
                merged = HoconMerger.MergeObjects((HoconObject)meaningful[i], merged);
            }

            return merged;
        }

        if (meaningful.TrueForAll(p => p is HoconScalar))
        {
            var text = string.Concat(pieces.Select(p => p is HoconScalar s ? s.Text : ((HoconConcatenation.Whitespace)p).Text));
            return new HoconScalar(HoconScalarKind.String, text, concatenation.Origin);
        }

        var kinds = string.Join(" and ", meaningful.Select(p => p.Describe()).Distinct());
        throw new HoconResolveException(
            $"cannot concatenate {kinds} in the value at {concatenation.Origin} (arrays join arrays, objects merge with objects, strings with simple values)",
            concatenation.Origin);
    }

    private HoconValue? ResolveMerge(HoconDelayedMerge merge, IReadOnlyList<string> path, SelfContext? context)
    {
        HoconObject? result = null;
        foreach (var layer in merge.Layers)
        {
            var value = ResolveNode(layer, path, addressable: false, context);
            if (value is null)
            {
                continue; // an undefined ${?x} leaves the value below in place
            }

            if (value is not HoconObject obj)
            {
                return result ?? value; // a non-object replaces what is below, and blocks merging with it
            }

            result = result is null ? obj : HoconMerger.MergeObjects(result, obj);
        }

        return result;
    }

    private HoconValue? Lookup(HoconSubstitution substitution, SelfContext? context)
    {
        HoconValue? value = null;
        var answered = false;
        for (var c = context; c is not null; c = c.Parent)
        {
            if (!PathSegments.StartsWith(substitution.Path, c.Path))
            {
                continue;
            }

            answered = true;
            if (c.Previous is not null)
            {
                if (!_previousInProgress.Add(c.Previous))
                {
                    throw new HoconResolveException(
                        $"cycle in substitutions: {substitution.Display} at {substitution.Origin} refers to the value it is part of",
                        substitution.Origin);
                }

                try
                {
                    value = Navigate(c.Previous, c.Path, substitution.Path.Skip(c.Path.Count).ToList(), addressable: false, c);
                }
                finally
                {
                    _previousInProgress.Remove(c.Previous);
                }
            }

            break;
        }

        if (!answered)
        {
            value = Navigate(_root, [], substitution.Path, addressable: true, null);
        }

        if (value is null && _environment is not null)
        {
            var variable = _environment(substitution.Written);
            if (variable is not null)
            {
                value = new HoconScalar(HoconScalarKind.String, variable, substitution.Origin);
            }
        }

        if (value is null && !substitution.Optional)
        {
            var environmentNote = _environment is null ? "" : $" and no environment variable '{substitution.Written}'";
            throw new HoconResolveException(
                $"could not resolve substitution {substitution.Display} at {substitution.Origin}: no value at path '{HoconPath.Render(substitution.Path)}'{environmentNote}",
                substitution.Origin);
        }

        return value;
    }

    /// <summary>Walks <paramref name="remaining"/> from <paramref name="start"/>, resolving only what it must pass through.</summary>
    private HoconValue? Navigate(HoconValue start, IReadOnlyList<string> startPath, IReadOnlyList<string> remaining, bool addressable, SelfContext? context)
    {
        var node = start;
        var path = startPath;
        for (var i = 0; i < remaining.Count; i++)
        {
            if (node is not HoconObject literal)
            {
                var resolved = Resolve(node, path, addressable, context);
                return NavigateResolved(resolved, remaining, i);
            }

            if (!literal.TryGetValue(remaining[i], out var child))
            {
                return null;
            }

            node = child;
            path = PathSegments.Append(path, remaining[i]);
        }

        return Resolve(node, path, addressable, context);
    }

    private HoconValue? Resolve(HoconValue node, IReadOnlyList<string> path, bool addressable, SelfContext? context) =>
        addressable ? ResolveAtPath(path, node) : ResolveNode(node, path, addressable: false, context);

    private static HoconValue? NavigateResolved(HoconValue? value, IReadOnlyList<string> remaining, int from)
    {
        for (var i = from; i < remaining.Count; i++)
        {
            if (value is not HoconObject obj || !obj.TryGetValue(remaining[i], out value))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>Inside a self-referential value: substitutions of <see cref="Path"/> (or below) see <see cref="Previous"/>.</summary>
    private sealed record SelfContext(IReadOnlyList<string> Path, HoconValue? Previous, SelfContext? Parent);
}
