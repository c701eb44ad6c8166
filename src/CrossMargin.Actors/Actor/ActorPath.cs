namespace CrossMargin.Actors;

/// <summary>
/// The location of an actor in its system's hierarchy, e.g. <c>cm://risk/user/accounts/a-17</c>.
/// Immutable and cheap to share; the textual form is built on first use.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private string? _text;

    private ActorPath(string address, ActorPath? parent, string name)
    {
        Address = address;
        Parent = parent;
        Name = name;
    }

    /// <summary>The system address, <c>cm://&lt;system-name&gt;</c>.</summary>
    public string Address { get; }

    /// <summary>The parent path, or <c>null</c> for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element (the actor's name); empty for the root.</summary>
    public string Name { get; }

    /// <summary>Creates the root path of a system named <paramref name="systemName"/>.</summary>
    public static ActorPath Root(string systemName) => new("cm://" + systemName, null, string.Empty);

    /// <summary>Returns the path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name) => new(Address, this, name);

    /// <summary>Path elements below the root, e.g. <c>["user", "a"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var list = new List<string>();
            for (var p = this; p.Parent != null; p = p.Parent) list.Add(p.Name);
            list.Reverse();
            return list;
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (_text != null) return _text;
        _text = Parent == null ? Address + "/" : (Parent.Parent == null ? Parent.Address : Parent.ToString()) + "/" + Name;
        return _text;
    }

    /// <inheritdoc />
    public bool Equals(ActorPath? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
