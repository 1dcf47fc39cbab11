using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Pipeline.Tests.Turns;

/// <summary>Feeds 16 kHz audio frame by frame through a VAD and a turn detector, as the session does.</summary>
internal static class TurnRunner
{
    public static List<TurnEvent> Run(short[] audio16k, IVoiceActivityDetector vad, ServerVadTurnDetector detector, List<float>? probabilities = null)
    {
        var events = new List<TurnEvent>();
        const int frame = 320;
        for (int i = 0; i + frame <= audio16k.Length; i += frame)
        {
            float p = vad.Process(audio16k.AsSpan(i, frame));
            probabilities?.Add(p);
            TurnEvent e = detector.Process(p, (i + frame) / 16);
            if (!e.IsNone)
            {
                events.Add(e);
            }
        }

        return events;
    }

    public static short[] Silence(int ms) => new short[ms * 16];
}
