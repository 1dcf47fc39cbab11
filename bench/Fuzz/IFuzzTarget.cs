namespace MediaServer.Fuzz;

/// <summary>
/// One parser under fuzz. <see cref="Run"/> gets arbitrary bytes and must return normally: a parser signals
/// bad input through its Try-pattern result or its own parse error type, never any other exception.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>Short name used on the command line (for example <c>rtp</c>).</summary>
    string Name { get; }

    /// <summary>Well-formed inputs that mutation starts from (RFC vectors, captured packets).</summary>
    IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Exception types that count as a clean rejection (the parser's own error type), if any.</summary>
    IReadOnlyList<Type> ExpectedExceptions { get; }

    /// <summary>Parses <paramref name="input"/>.</summary>
    void Run(ReadOnlySpan<byte> input);
}
