namespace CrossMargin.Hocon;

/// <summary>An unresolved <c>${path}</c> or <c>${?path}</c>; never visible through <see cref="Config"/>.</summary>
internal sealed class HoconSubstitution : HoconValue
{
    public HoconSubstitution(IReadOnlyList<string> path, bool optional, string written, HoconOrigin origin)
        : base(origin)
    {
        Path = path;
        Optional = optional;
        Written = written;
    }

    /// <summary>Absolute path (already prefixed when the substitution came from an included file).</summary>
    public IReadOnlyList<string> Path { get; }

    public bool Optional { get; }

    /// <summary>The path as written in the source; also the environment variable name to fall back to.</summary>
    public string Written { get; }

    internal override bool IsResolved => false;

    internal override string Describe() => Display;

    public string Display => Optional ? $"${{?{Written}}}" : $"${{{Written}}}";
}
