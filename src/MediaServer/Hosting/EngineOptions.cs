namespace MediaServer.Hosting;

/// <summary>Configuration section <c>MediaServer:Engines</c>: which embedded engines run.</summary>
public sealed class EngineOptions
{
    /// <summary>Folder holding <c>silero_vad.onnx</c> (fetched by the setup script into <c>.models</c>).</summary>
    public string ModelsDirectory { get; set; } = ".models";

    /// <summary><c>silero</c> (energy-gated Silero, the default when the model file exists) or <c>energy</c>.</summary>
    public string Vad { get; set; } = "silero";

    /// <summary>Warm the STT decoders and TTS engines at start so the first call is as fast as the rest.</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Stub STT and TTS (<c>MediaServer.Pipeline.Stub</c>): a fixed transcript and a precomputed tone, so a load
    /// test measures the media path alone. Off by default; never for real calls.
    /// </summary>
    public bool Stub { get; set; }
}
