namespace CrossMargin.Cluster.Messaging;

/// <summary>A message type string the codec does not know (or a version it does not read); names the type and lists the known ones.</summary>
public sealed class UnknownMessageTypeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnknownMessageTypeException(string type, IEnumerable<string> known)
        : base($"unknown message type \"{type}\"; known types: {string.Join(", ", known)}")
    {
        Type = type;
    }

    /// <summary>The type string received.</summary>
    public string Type { get; }
}

/// <summary>A message payload that does not decode as its type (bad JSON, a missing or invalid field); names the type and the problem.</summary>
public sealed class MalformedMessageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MalformedMessageException(string type, string problem, Exception? inner = null)
        : base($"message of type \"{type}\" is malformed: {problem}", inner)
    {
        Type = type;
        Problem = problem;
    }

    /// <summary>The message's type string.</summary>
    public string Type { get; }

    /// <summary>What was wrong.</summary>
    public string Problem { get; }
}

/// <summary>A value of a CLR type the codec has no wire type for.</summary>
public sealed class UnsupportedMessageException(Type type)
    : Exception($"{type.FullName} has no wire type in the cluster message codec (see MessageCodec for the supported messages)")
{
    /// <summary>The unsupported CLR type.</summary>
    public Type ClrType { get; } = type;
}
