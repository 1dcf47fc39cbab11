namespace MediaServer.Pipeline.Tests.Tts;

/// <summary>
/// Tests that run flite, espeak-ng or pocketsphinx in-process. They share glibc's one <c>rand()</c> sequence
/// (flite and espeak-ng draw noise from it, sphinxbase calls it too), so they run one class at a time: the
/// bit-exact assertions on flite output hold only when no other code in the process draws from the sequence
/// in the middle of a sentence. (In production that would only change the noise, not the speech.)
/// </summary>
[CollectionDefinition(Name)]
public sealed class NativeSpeechCollection
{
    public const string Name = "Native speech engines";
}
