namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Cuts an agent transcript to what the listener heard: spoken pieces that started before the cut are kept, and
/// within the piece the cut falls in, words are kept in proportion to the time heard.
/// </summary>
internal static class TranscriptTruncation
{
    public static string Cut(IReadOnlyList<SpokenSegment> spoken, long audioEndMs)
    {
        var kept = new List<string>();
        foreach (var segment in spoken)
        {
            if (segment.StartMs >= audioEndMs)
            {
                break;
            }

            if (segment.Text.Length == 0)
            {
                continue; // a non-verbal sound: nothing to keep in the transcript
            }

            if (segment.EndMs <= audioEndMs)
            {
                kept.Add(segment.Text);
                continue;
            }

            string[] words = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double heard = (audioEndMs - segment.StartMs) / (double)Math.Max(1, segment.EndMs - segment.StartMs);
            int count = (int)Math.Floor(words.Length * heard);
            if (count > 0)
            {
                kept.Add(string.Join(' ', words.Take(count)));
            }

            break;
        }

        return string.Join(' ', kept);
    }
}
