namespace MediaServer.Pipeline.Audio;

/// <summary>Fixed facts of the media path (ARCHITECTURE.md, "Media rules").</summary>
public static class AudioConstants
{
    /// <summary>Every frame in the pipeline covers 20 ms.</summary>
    public const int FrameMilliseconds = 20;

    /// <summary>VAD and STT run at 16 kHz, 16-bit mono.</summary>
    public const int PipelineSampleRate = 16_000;

    /// <summary>Samples in one 20 ms frame at the pipeline rate (320).</summary>
    public const int PipelineFrameSamples = PipelineSampleRate * FrameMilliseconds / 1000;

    /// <summary>Samples in one 20 ms frame at <paramref name="sampleRate"/>.</summary>
    public static int SamplesPerFrame(int sampleRate) => sampleRate * FrameMilliseconds / 1000;
}
