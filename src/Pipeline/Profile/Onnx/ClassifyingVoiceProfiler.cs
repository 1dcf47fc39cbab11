using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Pipeline.Profile.Onnx;

/// <summary>
/// The acoustic profiler with trained models plugged in: each turn is measured and labelled by the inner profiler
/// as usual, then every configured <see cref="OnnxProfileClassifier"/> replaces (or adds) its dimension with the
/// model's labels. A model that fails on a turn leaves the heuristic labels in place and is logged once. Models run
/// when the turn completes (not for snapshots), off the media path.
/// </summary>
public sealed partial class ClassifyingVoiceProfiler : IVoiceProfiler, IDisposable
{
    private readonly IVoiceProfiler _inner;
    private readonly IReadOnlyList<OnnxProfileClassifier> _classifiers;
    private readonly ILogger _logger;
    private int _failuresLogged;

    public ClassifyingVoiceProfiler(IVoiceProfiler inner, IReadOnlyList<OnnxProfileClassifier> classifiers, ILogger<ClassifyingVoiceProfiler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(classifiers);
        _inner = inner;
        _classifiers = classifiers;
        _logger = logger ?? NullLogger<ClassifyingVoiceProfiler>.Instance;
        WaveformSamples = classifiers.Where(c => c.InputKind == ProfileClassifierInput.Waveform16k).Select(c => c.MaxWaveformSamples).DefaultIfEmpty(0).Max();
    }

    /// <summary>The classifiers, in configuration order.</summary>
    public IReadOnlyList<OnnxProfileClassifier> Classifiers => _classifiers;

    /// <summary>Samples of a turn kept for waveform models (0 when none reads the waveform).</summary>
    internal int WaveformSamples { get; }

    /// <summary>
    /// Builds the server's profiler from <paramref name="options"/>: the acoustic one alone when no classifier is
    /// configured. Loads and checks every model now.
    /// </summary>
    /// <exception cref="InvalidOperationException">A classifier's configuration or model is wrong (message names it).</exception>
    public static IVoiceProfiler Create(VoiceProfileOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var acoustic = new AcousticVoiceProfiler();
        if (options.Classifiers.Count == 0) return acoustic;
        var loaded = new List<OnnxProfileClassifier>();
        try
        {
            foreach (var (dimension, classifier) in options.Classifiers)
            {
                loaded.Add(new OnnxProfileClassifier(dimension, classifier));
            }
        }
        catch
        {
            foreach (var c in loaded) c.Dispose();
            throw;
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClassifyingVoiceProfiler>();
        foreach (var c in loaded) LogLoaded(logger, c.Dimension, c.InputKind);
        return new ClassifyingVoiceProfiler(acoustic, loaded, logger);
    }

    public IVoiceProfileAnalyzer Start(VoiceProfileBaseline baseline) => new Analyzer(this, _inner.Start(baseline));

    public void Dispose()
    {
        foreach (var c in _classifiers) c.Dispose();
    }

    /// <summary>Applies every classifier to a completed profile (and the turn's waveform, when kept).</summary>
    internal VoiceProfile Classify(VoiceProfile profile, ReadOnlySpan<float> waveform)
    {
        Span<float> features = stackalloc float[VoiceFeatureVector.Length];
        VoiceFeatureVector.Write(profile.Features, features);
        foreach (var classifier in _classifiers)
        {
            try
            {
                var input = classifier.InputKind == ProfileClassifierInput.Features
                    ? features
                    : waveform[..Math.Min(waveform.Length, classifier.MaxWaveformSamples)];
                if (input.IsEmpty) continue;
                profile = profile.WithDimension(classifier.Dimension, classifier.Classify(input));
            }
            catch (Exception ex) when (ex is InvalidDataException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                if (Interlocked.Increment(ref _failuresLogged) <= 5) LogFailed(_logger, ex, classifier.Dimension);
            }
        }

        return profile;
    }

    /// <summary>One turn: the inner analyzer plus, when a model reads it, the turn's speech as float samples.</summary>
    private sealed class Analyzer(ClassifyingVoiceProfiler owner, IVoiceProfileAnalyzer inner) : IVoiceProfileAnalyzer
    {
        private float[] _wave = owner.WaveformSamples > 0 ? System.Buffers.ArrayPool<float>.Shared.Rent(16_000) : [];
        private int _waveLength;
        private VoiceProfile? _completed;

        public void Write(ReadOnlySpan<short> pcm16k)
        {
            inner.Write(pcm16k);
            if (owner.WaveformSamples == 0 || _completed is not null) return;
            int take = Math.Min(pcm16k.Length, owner.WaveformSamples - _waveLength);
            if (take <= 0) return;
            if (_waveLength + take > _wave.Length)
            {
                // Grows by doubling: a handful of times per long turn, never per frame in steady state.
                var larger = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Min(owner.WaveformSamples, Math.Max(_wave.Length * 2, _waveLength + take)));
                _wave.AsSpan(0, _waveLength).CopyTo(larger);
                System.Buffers.ArrayPool<float>.Shared.Return(_wave);
                _wave = larger;
            }

            var target = _wave.AsSpan(_waveLength, take);
            for (int i = 0; i < take; i++) target[i] = pcm16k[i] * (1f / 32768f);
            _waveLength += take;
        }

        public VoiceProfile Snapshot(string transcriptSoFar) => _completed ?? inner.Snapshot(transcriptSoFar);

        public VoiceProfile Complete(string transcript)
        {
            if (_completed is not null) return _completed;
            var profile = inner.Complete(transcript);
            _completed = owner.Classify(profile, _wave.AsSpan(0, _waveLength));
            ReturnWave();
            return _completed;
        }

        public void Dispose()
        {
            inner.Dispose();
            ReturnWave();
        }

        private void ReturnWave()
        {
            if (_wave.Length > 0) System.Buffers.ArrayPool<float>.Shared.Return(_wave);
            _wave = [];
            _waveLength = 0;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Voice profile: ONNX classifier for {Dimension} loaded (input {Input})")]
    private static partial void LogLoaded(ILogger logger, string dimension, string input);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Voice profile: the {Dimension} classifier failed on a turn; its heuristic labels were kept")]
    private static partial void LogFailed(ILogger logger, Exception ex, string dimension);
}
