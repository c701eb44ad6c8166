using System.Globalization;

namespace CrossMargin.Hocon.Tests.Support;

/// <summary>
/// Structural comparison of resolved trees, as the lightbend equivalence suite does: object key order is ignored,
/// integers compare with integers and floats with floats by value. Returns the first difference, or null.
/// </summary>
internal static class TreeComparer
{
    public static string? FirstDifference(HoconValue expected, HoconValue actual, string path = "<root>")
    {
        switch (expected, actual)
        {
            case (HoconObject e, HoconObject a):
                foreach (var key in e.Keys.Union(a.Keys))
                {
                    var child = $"{path}.{key}";
                    if (!e.TryGetValue(key, out var ev))
                    {
                        return $"{child}: unexpected key (value {a[key]})";
                    }

                    if (!a.TryGetValue(key, out var av))
                    {
                        return $"{child}: missing (expected {ev})";
                    }

                    var diff = FirstDifference(ev, av, child);
                    if (diff is not null)
                    {
                        return diff;
                    }
                }

                return null;
            case (HoconArray e, HoconArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} elements, found {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    var diff = FirstDifference(e[i], a[i], $"{path}[{i}]");
                    if (diff is not null)
                    {
                        return diff;
                    }
                }

                return null;
            case (HoconScalar e, HoconScalar a):
                return ScalarsEqual(e, a) ? null : $"{path}: expected {e.Kind} '{e.Text}', found {a.Kind} '{a.Text}'";
            default:
                return $"{path}: expected {expected.GetType().Name}, found {actual.GetType().Name}";
        }
    }

    private static bool ScalarsEqual(HoconScalar e, HoconScalar a)
    {
        if (e.Kind != a.Kind)
        {
            return false;
        }

        if (e.Kind != HoconScalarKind.Number)
        {
            return e.Text == a.Text;
        }

        var eIsInteger = IsInteger(e.Text);
        return eIsInteger == IsInteger(a.Text)
            && decimal.Parse(e.Text, NumberStyles.Float, CultureInfo.InvariantCulture)
               == decimal.Parse(a.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static bool IsInteger(string text) => !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.OrdinalIgnoreCase);
}
