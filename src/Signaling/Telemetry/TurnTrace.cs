using System.Diagnostics;

namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// Where one turn's time went, as <see cref="Stopwatch"/> timestamps (0 = that stage did not happen): the acoustic
/// end of the user's speech, the end-of-turn decision (commit), the final transcript, the model's first token and
/// last token, the first synthesized audio, the first audio packet handed to the transport, and the end.
/// </summary>
public record struct TurnMarks(
    long SpeechEnded,
    long TurnCommitted,
    long TranscriptFinal,
    long FirstToken,
    long LastToken,
    long FirstAudio,
    long FirstPacket,
    long Finished);

/// <summary>
/// Writes a finished turn as one OpenTelemetry span, <c>realtime.turn</c>, with a child span per stage:
/// <c>realtime.vad.decision</c> (end of speech to commit), <c>realtime.stt</c> (commit to final transcript),
/// <c>realtime.llm</c> (transcript to last token, first-token time as a tag), <c>realtime.tts</c> (first token to
/// first audio) and <c>realtime.first_packet</c> (first audio to first packet out). Spans are written after the
/// fact from the marks, so nothing on the audio path waits on tracing and a response that never spoke simply has
/// fewer children. With no listener (tracing off) nothing is allocated.
/// </summary>
public static class TurnTrace
{
    /// <summary>Records <paramref name="marks"/> for one response of a session.</summary>
    public static void Record(in TurnMarks marks, string sessionId, string responseId, string status)
    {
        if (!RealtimeTelemetry.Source.HasListeners())
        {
            return;
        }

        long start = First(marks.SpeechEnded, marks.TurnCommitted, marks.TranscriptFinal, marks.FirstToken);
        long end = marks.Finished != 0 ? marks.Finished : Stopwatch.GetTimestamp();
        if (start == 0)
        {
            return;
        }

        var origin = DateTime.UtcNow - Stopwatch.GetElapsedTime(0, Stopwatch.GetTimestamp());
        DateTime At(long timestamp) => origin + Stopwatch.GetElapsedTime(0, timestamp);

        // A root of its own: the turn is not a child of whatever span happens to be current on this thread.
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            using var turn = RealtimeTelemetry.Source.StartActivity("realtime.turn", ActivityKind.Internal, default(ActivityContext), startTime: At(start));
            if (turn is null)
            {
                return;
            }

            turn.SetTag("realtime.session_id", sessionId);
            turn.SetTag("realtime.response_id", responseId);
            turn.SetTag("realtime.status", status);
            if (marks.FirstPacket != 0 || marks.FirstAudio != 0)
            {
                long heard = marks.FirstPacket != 0 ? marks.FirstPacket : marks.FirstAudio;
                turn.SetTag("realtime.turn_latency_ms", Math.Round(Stopwatch.GetElapsedTime(start, heard).TotalMilliseconds, 1));
            }

            Child(turn, "realtime.vad.decision", marks.SpeechEnded, marks.TurnCommitted, At)?.Dispose();
            Child(turn, "realtime.stt", marks.TurnCommitted, marks.TranscriptFinal, At)?.Dispose();
            long llmStart = marks.TranscriptFinal != 0 ? marks.TranscriptFinal : marks.TurnCommitted;
            using (var llm = Child(turn, "realtime.llm", llmStart, marks.LastToken != 0 ? marks.LastToken : marks.FirstToken, At))
            {
                if (llm is not null && marks.FirstToken >= llmStart)
                {
                    llm.SetTag("realtime.first_token_ms", Math.Round(Stopwatch.GetElapsedTime(llmStart, marks.FirstToken).TotalMilliseconds, 1));
                }
            }

            Child(turn, "realtime.tts", marks.FirstToken, marks.FirstAudio, At)?.Dispose();
            Child(turn, "realtime.first_packet", marks.FirstAudio, marks.FirstPacket, At)?.Dispose();
            turn.SetEndTime(At(end));
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private static Activity? Child(Activity parent, string name, long from, long to, Func<long, DateTime> at)
    {
        if (from == 0 || to == 0 || to < from)
        {
            return null;
        }

        var child = RealtimeTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: at(from));
        child?.SetEndTime(at(to));
        return child;
    }

    private static long First(params long[] marks)
    {
        foreach (long mark in marks)
        {
            if (mark != 0)
            {
                return mark;
            }
        }

        return 0;
    }
}
