namespace CrossMargin.Hocon;

/// <summary>
/// Substitutions could not be resolved: an undefined <c>${path}</c>, a cycle, or a concatenation of
/// incompatible kinds. The message names the substitution and where it appears.
/// </summary>
public sealed class HoconResolveException : HoconException
{
    /// <summary>Creates the exception; <paramref name="message"/> must already name the origin.</summary>
    public HoconResolveException(string message, HoconOrigin? origin)
        : base(message, origin)
    {
    }
}
