namespace MediaServer.Pipeline.Stt.WhisperNet;

/// <summary>
/// Whisper in process (Whisper.net, whisper.cpp) with a ggml model file the operator downloads. Bound from
/// <c>MediaServer:Stt:Whisper</c>; used when <c>MediaServer:Stt:Engine</c> is <c>whisper</c>.
/// </summary>
public sealed class WhisperNetOptions
{
    /// <summary>The ggml model file (<c>ggml-base.en.bin</c>, <c>ggml-small.bin</c>, ...). Required.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Language when the session names none; <c>auto</c> lets Whisper detect it.</summary>
    public string Language { get; set; } = "en";

    /// <summary>CPU threads per recognition; 0: half the cores, at least one.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// Turns recognised at once; later turns wait their turn (each recognition uses <see cref="Threads"/> cores, and
    /// running more than the cores allow makes every one of them late). 0: one per two cores, at least one.
    /// </summary>
    public int MaxConcurrent { get; set; }

    /// <summary>Longest audio recognised per turn, in seconds.</summary>
    public double MaxUtteranceSeconds { get; set; } = 120;

    internal int EffectiveThreads => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount / 2);

    internal int EffectiveConcurrency => MaxConcurrent > 0 ? MaxConcurrent : Math.Max(1, Environment.ProcessorCount / 2);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath)) throw new ArgumentException("MediaServer:Stt:Whisper:ModelPath is not set (a ggml model file).");
        if (!File.Exists(ModelPath)) throw new FileNotFoundException($"MediaServer:Stt:Whisper:ModelPath '{ModelPath}' does not exist.", ModelPath);
        if (MaxUtteranceSeconds is <= 0 or > 1800) throw new ArgumentException("MediaServer:Stt:Whisper:MaxUtteranceSeconds must be in (0, 1800].");
    }
}
