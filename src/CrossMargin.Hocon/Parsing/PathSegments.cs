namespace CrossMargin.Hocon;

/// <summary>Small helpers over paths held as lists of elements (no dotted strings, so quoted dots stay intact).</summary>
internal static class PathSegments
{
    public static bool StartsWith(IReadOnlyList<string> candidate, IReadOnlyList<string> prefix)
    {
        if (candidate.Count < prefix.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(candidate[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static string[] Concat(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var result = new string[a.Count + b.Count];
        for (var i = 0; i < a.Count; i++)
        {
            result[i] = a[i];
        }

        for (var i = 0; i < b.Count; i++)
        {
            result[a.Count + i] = b[i];
        }

        return result;
    }

    public static string[] Append(IReadOnlyList<string> path, string key) => Concat(path, [key]);
}
