namespace CrossMargin.Persistence.Actors;

/// <summary>
/// Wrap an event in this when persisting to give it tags for <c>EventsByTag</c>; the journal stores
/// <paramref name="Payload"/> with <paramref name="Tags"/>, and the persist handler receives this wrapper.
/// </summary>
/// <param name="Payload">The event to store.</param>
/// <param name="Tags">Its tags (each at most 64 characters).</param>
public sealed record Tagged(object Payload, IReadOnlyList<string> Tags);
