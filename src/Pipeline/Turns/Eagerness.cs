namespace MediaServer.Pipeline.Turns;

/// <summary><c>semantic_vad</c>'s <c>eagerness</c>: how readily the agent takes the turn.</summary>
public enum Eagerness
{
    /// <summary>OpenAI documents <c>auto</c> as equal to <see cref="Medium"/>.</summary>
    Auto,

    /// <summary>Lets the user take their time; waits up to about 8 s.</summary>
    Low,

    /// <summary>Waits up to about 4 s.</summary>
    Medium,

    /// <summary>Answers as soon as possible; waits up to about 2 s.</summary>
    High,
}
