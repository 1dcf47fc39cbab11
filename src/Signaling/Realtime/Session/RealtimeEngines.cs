using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>The engines a session runs on, resolved once by the host and shared by every session.</summary>
/// <param name="SpeechToText">Transcribes user turns.</param>
/// <param name="TextToSpeech">Speaks the agent's words.</param>
/// <param name="ChatClients">Resolves the session's <c>model</c> to a chat client.</param>
/// <param name="CreateVad">Makes one voice activity detector per input stream.</param>
/// <param name="VoiceProfiler">Hears how each user turn is said (pitch, rate, style); null turns profiles off.</param>
/// <param name="Upstreams">Speech-to-speech upstreams a session's model may select instead of these engines; null: none.</param>
public sealed record RealtimeEngines(
    ISpeechToText SpeechToText,
    ITextToSpeech TextToSpeech,
    IChatClientProvider ChatClients,
    Func<IVoiceActivityDetector> CreateVad,
    MediaServer.Pipeline.Profile.IVoiceProfiler? VoiceProfiler = null,
    Upstream.UpstreamCatalog? Upstreams = null);

