using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>A turn end the detector decided: where on the input timeline, and what it knew then.</summary>
public sealed record TurnDecision(long AudioEndMs, string Transcript, float? Score, FinalProsody Prosody);

/// <summary>
/// Feeds corpus audio through the input path the session runs (InputAudioPipeline in Signaling, step for step): the
/// transport's rate resampled to 16 kHz in 20 ms pieces, the energy-gated Silero VAD, a streaming recogniser
/// started at speech onset with the prefix padding and fed every frame while the user speaks (its partial hypothesis
/// read by the end-of-turn strategy), and the turn detector. Decoding is caught up after every frame, as when the
/// thread pool keeps up with the 3 ms of CPU a frame costs, so results do not depend on the test machine's load.
/// </summary>
/// <remarks>
/// Several detectors are compared on the same audio: the resampling and the VAD do not depend on the detector, so
/// they run once; the recogniser's partials depend only on where the turn started, so one recogniser per start is
/// shared by every detector that started a turn there (fed as far as any of them listens).
/// </remarks>
internal sealed class TurnCorpusRunner(SileroVadModel silero, ISpeechToText stt)
{
    private static readonly TranscriptionRequest Request = new("pocketsphinx", "en", null);

    /// <summary>Runs each detector over <paramref name="audio"/>; returns their decisions in the same order.</summary>
    public List<TurnDecision>[] Run(TurnCorpusAudio audio, params Func<ServerVadTurnDetector>[] detectors)
    {
        var (pcm16k, probabilities) = Front(audio);
        int frames = probabilities.Length;
        int frameIndex = 0;
        var running = detectors.Select(create => new DetectorRun(create())).ToArray();
        foreach (var run in running)
        {
            if (run.Semantic is { } semantic)
            {
                var current = run;
                semantic.Transcript = () => current.Turn?.PartialAt(frameIndex) ?? string.Empty;
            }
        }

        // In lockstep: a turn that starts at the same place for several detectors starts on the same frame, so they
        // share one recogniser, released when the last of them ends its turn.
        var live = new Dictionary<long, SharedRecognition>();
        try
        {
            for (; frameIndex < frames; frameIndex++)
            {
                long timelineMs = (frameIndex + 1) * AudioConstants.FrameMilliseconds;
                var frame = pcm16k.AsSpan(frameIndex * AudioConstants.PipelineFrameSamples, AudioConstants.PipelineFrameSamples);
                foreach (var run in running)
                {
                    var e = run.Detector.Process(frame, probabilities[frameIndex], timelineMs);
                    if (e.Kind == TurnEventKind.SpeechStarted && run.Turn is null)
                    {
                        if (!live.TryGetValue(e.AudioMs, out var turn) || turn.StartFrame != frameIndex)
                        {
                            live[e.AudioMs] = turn = new SharedRecognition(stt.StartUtterance(Request), pcm16k, e.AudioMs, frameIndex);
                        }

                        turn.Holders++;
                        run.Turn = turn;
                    }
                    else if (e.Kind == TurnEventKind.SpeechStopped && run.Turn is { } turn)
                    {
                        run.Decisions.Add(new TurnDecision(e.AudioMs, turn.PartialAt(frameIndex), run.Semantic?.LastScore, run.Semantic?.Prosody ?? default));
                        run.Turn = null;
                        if (--turn.Holders == 0)
                        {
                            turn.Dispose();
                            live.Remove(turn.StartMs);
                        }
                    }
                }
            }

            return [.. running.Select(r => r.Decisions)];
        }
        finally
        {
            foreach (var r in live.Values)
            {
                r.Dispose();
            }
        }
    }

    private sealed class DetectorRun(ServerVadTurnDetector detector)
    {
        public ServerVadTurnDetector Detector { get; } = detector;

        public EagernessTurnEndStrategy? Semantic { get; } = detector.EndStrategy as EagernessTurnEndStrategy;

        public SharedRecognition? Turn { get; set; }

        public List<TurnDecision> Decisions { get; } = [];
    }

    /// <summary>Resamples to 16 kHz in 20 ms transport pieces and scores every frame with the VAD.</summary>
    private (short[] Pcm16k, float[] Probabilities) Front(TurnCorpusAudio audio)
    {
        using var vad = CombinedVad.ForStream(silero);
        var resampler = Resampler.Create(audio.SampleRate, AudioConstants.PipelineSampleRate);
        int chunk = audio.SampleRate / 50;
        var converted = new short[resampler.MaxOutputSamples(chunk)];
        var pcm = new List<short>((int)((long)audio.Pcm.Length * 16_000 / audio.SampleRate) + 1);
        for (int offset = 0; offset + chunk <= audio.Pcm.Length; offset += chunk)
        {
            int n = resampler.Process(audio.Pcm.AsSpan(offset, chunk), converted);
            pcm.AddRange(converted.AsSpan(0, n));
        }

        int frames = pcm.Count / AudioConstants.PipelineFrameSamples;
        short[] pcm16k = [.. pcm];
        var probabilities = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            probabilities[i] = vad.Process(pcm16k.AsSpan(i * AudioConstants.PipelineFrameSamples, AudioConstants.PipelineFrameSamples));
        }

        return (pcm16k, probabilities);
    }

    /// <summary>
    /// One recogniser for a turn that started at a given place: as the session does, it first hears the audio from
    /// <c>audio_start_ms</c> (the prefix padding) to the frame that confirmed the speech, then one frame at a time.
    /// </summary>
    private sealed class SharedRecognition : IDisposable
    {
        private readonly ISpeechRecognitionStream _stream;
        private readonly short[] _pcm16k;
        private readonly List<string> _partials = [];
        private readonly int _startFrame;

        public SharedRecognition(ISpeechRecognitionStream stream, short[] pcm16k, long audioStartMs, int confirmFrame)
        {
            StartMs = audioStartMs;
            _stream = stream;
            _pcm16k = pcm16k;
            _startFrame = confirmFrame;
            int from = (int)Math.Min(pcm16k.Length, audioStartMs * 16);
            int to = Math.Min(pcm16k.Length, (confirmFrame + 1) * AudioConstants.PipelineFrameSamples);
            _stream.Write(pcm16k.AsSpan(from, Math.Max(0, to - from)));
            CatchUp();
            _partials.Add(_stream.Partial);
        }

        public long StartMs { get; }

        public int StartFrame => _startFrame;

        /// <summary>Detectors in a turn on this recogniser.</summary>
        public int Holders { get; set; }

        /// <summary>The partial hypothesis as it stood after frame <paramref name="frame"/> was processed.</summary>
        public string PartialAt(int frame)
        {
            int want = frame - _startFrame;
            while (_partials.Count <= want)
            {
                int next = _startFrame + _partials.Count;
                int offset = next * AudioConstants.PipelineFrameSamples;
                if (offset + AudioConstants.PipelineFrameSamples <= _pcm16k.Length)
                {
                    _stream.Write(_pcm16k.AsSpan(offset, AudioConstants.PipelineFrameSamples));
                    if (_partials.Count % 5 == 0)
                    {
                        // The session's recogniser decodes in 100 ms pieces as they accumulate.
                        CatchUp();
                    }
                }

                _partials.Add(_stream.Partial);
            }

            return want < 0 ? string.Empty : _partials[want];
        }

        private void CatchUp() => (_stream as PocketsphinxRecognitionStream)?.DecodePending();

        public void Dispose() => _stream.Dispose();
    }
}
