namespace MediaServer.Rtc.Codecs;

/// <summary>Which Opus library does the work.</summary>
public enum OpusImplementation
{
    /// <summary>Native libopus when <see cref="NativeOpus.IsAvailable"/>, otherwise Concentus.</summary>
    Auto = 0,

    /// <summary>Concentus, the managed port (always available).</summary>
    Concentus,

    /// <summary>The system's libopus (Debian libopus0, <c>libopus.so.0</c>) through our P/Invoke.</summary>
    Native,
}
