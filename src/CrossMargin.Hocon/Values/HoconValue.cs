namespace CrossMargin.Hocon;

/// <summary>
/// A node of a configuration tree. Values reachable from a <see cref="Config"/> are always resolved:
/// <see cref="HoconObject"/>, <see cref="HoconArray"/> or <see cref="HoconScalar"/>.
/// </summary>
/// <remarks>Values are immutable once a <see cref="Config"/> holds them and are safe to share between threads.</remarks>
public abstract class HoconValue
{
    private protected HoconValue(HoconOrigin origin)
    {
        Origin = origin;
    }

    /// <summary>Where this value was written (file or source name, line, column).</summary>
    public HoconOrigin Origin { get; }

    /// <summary>Renders the value as JSON text (objects and arrays indented).</summary>
    public override string ToString() => HoconRenderer.Render(this);

    /// <summary>True for values that still hold substitutions or unresolved concatenations.</summary>
    internal virtual bool IsResolved => true;

    /// <summary>A short description of the kind of value for error messages, e.g. "object" or "string 'abc'".</summary>
    internal abstract string Describe();
}
