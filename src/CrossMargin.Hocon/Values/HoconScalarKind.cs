namespace CrossMargin.Hocon;

/// <summary>The kind of a scalar value as written in the source.</summary>
public enum HoconScalarKind
{
    /// <summary>A quoted or unquoted string, or a concatenation of several simple values.</summary>
    String,

    /// <summary>A number written as a single JSON-style number token (text kept exactly).</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c> written unquoted.</summary>
    Boolean,

    /// <summary><c>null</c> written unquoted.</summary>
    Null,
}
