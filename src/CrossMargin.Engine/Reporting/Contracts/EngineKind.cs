namespace CrossMargin.Engine.Reporting;

/// <summary>Which engine <c>simulate</c> runs (<c>--engine</c>).</summary>
public enum EngineKind
{
    /// <summary>The in-process deterministic engine (<c>EngineHost</c>): direct calls in one fixed order. The default.</summary>
    Direct,

    /// <summary>The actor engine (<c>ActorEngine</c>): persistent account, feed and coordinator actors on the deterministic dispatcher.</summary>
    Actors,
}
