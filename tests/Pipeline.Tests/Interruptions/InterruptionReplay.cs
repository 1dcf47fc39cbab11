using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Interruptions;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Pipeline.Tests.Interruptions;

/// <summary>What the arbiter made of one corpus case.</summary>
/// <param name="Interrupted">The agent was stopped.</param>
/// <param name="DecisionMs">When (input timeline) it was stopped, or -1.</param>
/// <param name="Endings">How each sound that did not interrupt was classified.</param>
public sealed record InterruptionOutcome(bool Interrupted, long DecisionMs, IReadOnlyList<InterruptionKind> Endings, string Heard = "")
{
    /// <summary>The case's verdict: Interruption, or the first ending's kind, or Undecided (nothing triggered the VAD).</summary>
    public InterruptionKind Verdict => Interrupted ? InterruptionKind.Interruption : Endings.Count > 0 ? Endings[0] : InterruptionKind.Undecided;
}

/// <summary>
/// Replays a corpus case through what a session runs per input frame: resampling to 16 kHz, Silero + energy VAD,
/// server_vad segmentation, the recogniser during the sound, and the <see cref="BargeInDetector"/> with the case's
/// outgoing audio as reference. The agent's audio is scheduled at <see cref="InterruptionCase.OutgoingStartMs"/>
/// and flushed when the arbiter interrupts, as a session does.
/// </summary>
public sealed class InterruptionReplay(SileroVadModel model, ISpeechToText stt, BargeInOptions options)
{
    private static readonly TranscriptionRequest Request = new("pocketsphinx", "en", null);

    public InterruptionOutcome Run(InterruptionCase c)
    {
        using var vad = CombinedVad.ForStream(model);
        var turns = new ServerVadTurnDetector();
        var detector = new BargeInDetector(options);
        short[] mic = TestAudio.Resample(c.Microphone, c.SampleRate, AudioConstants.PipelineSampleRate);
        const int frameSamples = AudioConstants.PipelineFrameSamples;
        ISpeechRecognitionStream? recognizer = null;
        var endings = new List<InterruptionKind>();
        bool scheduled = false;
        try
        {
            for (int f = 0; (f + 1) * frameSamples <= mic.Length; f++)
            {
                long startMs = f * 20L;
                long endMs = startMs + 20;
                if (!scheduled && startMs >= c.OutgoingStartMs)
                {
                    detector.WriteOutgoing(c.Outgoing, c.SampleRate, startMs);
                    scheduled = true;
                }

                var frame = mic.AsSpan(f * frameSamples, frameSamples);
                float p = vad.Process(frame);
                var kind = detector.ProcessFrame(frame, p, endMs);
                if (recognizer is not null)
                {
                    recognizer.Write(frame);
                    (recognizer as PocketsphinxRecognitionStream)?.DecodePending();
                    if (detector.Arbiter.Pending && kind == InterruptionKind.Undecided)
                    {
                        kind = detector.UpdateTranscript(recognizer.Partial, endMs);
                    }
                }

                var turn = turns.Process(p, endMs);
                if (turn.Kind == TurnEventKind.SpeechStarted)
                {
                    if (!detector.AgentAudible(endMs))
                    {
                        return new InterruptionOutcome(true, endMs, endings); // not gated: the agent is silent
                    }

                    recognizer?.Dispose();
                    recognizer = stt.StartUtterance(Request);
                    recognizer.Write(mic.AsSpan((int)(turn.AudioMs * 16), (int)((endMs - turn.AudioMs) * 16)));
                    (recognizer as PocketsphinxRecognitionStream)?.DecodePending();
                    kind = detector.BeginOnset(turn.AudioMs);
                    if (kind == InterruptionKind.Undecided)
                    {
                        kind = detector.UpdateTranscript(recognizer.Partial, endMs);
                    }
                }
                else if (turn.Kind == TurnEventKind.SpeechStopped && detector.Arbiter.Pending)
                {
                    endings.Add(detector.EndOnset());
                    recognizer?.Dispose();
                    recognizer = null;
                }

                if (kind == InterruptionKind.Interruption)
                {
                    detector.FlushOutgoing(endMs);
                    return new InterruptionOutcome(true, endMs, endings,
                        $"user {detector.Arbiter.UserSpeechMs} ms, echo {detector.Arbiter.EchoMs} ms, '{recognizer?.Partial}'");
                }
            }

            if (detector.Arbiter.Pending)
            {
                endings.Add(detector.EndOnset());
            }

            return new InterruptionOutcome(false, -1, endings);
        }
        finally
        {
            recognizer?.Dispose();
        }
    }
}
