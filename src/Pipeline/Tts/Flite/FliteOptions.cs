namespace MediaServer.Pipeline.Tts.Flite;

/// <summary>Options of the flite engine.</summary>
public sealed class FliteOptions
{
    /// <summary>Voice used for unknown names: <c>slt</c>, the US female voice pocketsphinx recognises best.</summary>
    public string DefaultVoice { get; set; } = "slt";
}
