using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.OpenAi;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Stt.WhisperNet;
using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Vad;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.Options;

namespace MediaServer.Hosting;

/// <summary>
/// Builds the shared engines from configuration: pocketsphinx, Whisper.net or a cloud STT, flite/espeak-ng or a cloud TTS, the chat client provider,
/// and the VAD (energy-gated Silero when its model file is there, energy alone otherwise).
/// </summary>
public static class EngineSetup
{
    public static IServiceCollection AddEmbeddedEngines(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection("MediaServer:Engines"));
        services.Configure<PocketsphinxOptions>(configuration.GetSection("MediaServer:Stt"));
        services.Configure<TextToSpeechOptions>(configuration.GetSection("MediaServer:Tts"));
        services.Configure<LlmOptions>(configuration.GetSection("MediaServer:Llm"));
        services.AddSingleton(sp => new PocketsphinxSpeechToText(
            sp.GetRequiredService<IOptions<PocketsphinxOptions>>().Value,
            sp.GetRequiredService<ILogger<PocketsphinxSpeechToText>>()));
        services.Configure<OpenAiSpeechToTextOptions>(configuration.GetSection("MediaServer:Stt:Cloud"));
        services.Configure<WhisperNetOptions>(configuration.GetSection("MediaServer:Stt:Whisper"));
        string sttEngine = configuration["MediaServer:Stt:Engine"]?.Trim() ?? "pocketsphinx";
        services.AddSingleton<ISpeechToText>(sp => sttEngine.ToLowerInvariant() switch
        {
            "pocketsphinx" => sp.GetRequiredService<PocketsphinxSpeechToText>(),
            OpenAiSpeechToText.EngineName => new OpenAiSpeechToText(sp.GetRequiredService<IOptions<OpenAiSpeechToTextOptions>>().Value),
            WhisperNetSpeechToText.EngineName => new WhisperNetSpeechToText(sp.GetRequiredService<IOptions<WhisperNetOptions>>().Value),
            _ => throw new ArgumentException($"MediaServer:Stt:Engine '{sttEngine}' is not pocketsphinx, openai or whisper."),
        });
        services.AddSingleton(sp => new TextToSpeechRegistry(sp.GetRequiredService<IOptions<TextToSpeechOptions>>().Value));
        services.AddSingleton<IChatClientProvider>(sp => new ChatClientProvider(sp.GetRequiredService<IOptions<LlmOptions>>().Value, null, sp.GetRequiredService<ILoggerFactory>()));
        // Loaded now, not on the first call: a wrong ONNX classifier path or shape stops the server at start, naming the setting.
        services.AddSingleton(MediaServer.Pipeline.Profile.Onnx.ClassifyingVoiceProfiler.Create(
            configuration.GetSection(MediaServer.Pipeline.Profile.Onnx.VoiceProfileOptions.Section).Get<MediaServer.Pipeline.Profile.Onnx.VoiceProfileOptions>() ?? new()));
        // Checked now, not on the first call: a bad upstream URL or name stops the server at start, naming the setting.
        var upstreams = new MediaServer.Signaling.Realtime.Upstream.UpstreamCatalog(
            configuration.GetSection("MediaServer:Upstream").Get<MediaServer.Signaling.Realtime.Upstream.UpstreamOptions>() ?? new());
        services.AddSingleton(upstreams);
        services.AddSingleton(sp =>
        {
            var engines = sp.GetRequiredService<IOptions<EngineOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("MediaServer.Engines");
            if (engines.Stub)
            {
                logger.LogWarning("Engines: stub STT and TTS (load testing only; MediaServer:Engines:Stub)");
                return new RealtimeEngines(new MediaServer.Pipeline.Stub.StubSpeechToText(), new MediaServer.Pipeline.Stub.StubTextToSpeech(),
                    sp.GetRequiredService<IChatClientProvider>(), CreateVadFactory(engines, logger), sp.GetRequiredService<MediaServer.Pipeline.Profile.IVoiceProfiler>(), upstreams);
            }

            return new RealtimeEngines(
                sp.GetRequiredService<ISpeechToText>(),
                sp.GetRequiredService<TextToSpeechRegistry>(),
                sp.GetRequiredService<IChatClientProvider>(),
                CreateVadFactory(engines, logger),
                sp.GetRequiredService<MediaServer.Pipeline.Profile.IVoiceProfiler>(),
                upstreams);
        });
        return services;
    }

    private static Func<IVoiceActivityDetector> CreateVadFactory(EngineOptions options, ILogger logger)
    {
        string path = Path.GetFullPath(Path.Combine(options.ModelsDirectory, "silero_vad.onnx"));
        if (!string.Equals(options.Vad, "energy", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            var model = new SileroVadModel(path);
            logger.LogInformation("VAD: energy-gated Silero from {Path}", path);
            return () => CombinedVad.ForStream(model);
        }

        logger.LogWarning("VAD: energy only (Silero model not found at {Path}; run ./run.sh to fetch it)", path);
        return () => new EnergyVad();
    }
}
