namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// What the listener did not hear of a cut response: the complement of <see cref="TranscriptTruncation.Cut"/>, so a
/// response stopped by a false interruption can pick up at the word where it stopped.
/// </summary>
internal static class ResumeText
{
    public static string After(IReadOnlyList<SpokenSegment> spoken, long playedMs)
    {
        var rest = new List<string>();
        foreach (var segment in spoken)
        {
            if (segment.Text.Length == 0 || segment.EndMs <= playedMs)
            {
                continue;
            }

            if (segment.StartMs >= playedMs)
            {
                rest.Add(segment.Text);
                continue;
            }

            // The same proportion TranscriptTruncation keeps, so heard + rest is the whole segment.
            string[] words = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double heard = (playedMs - segment.StartMs) / (double)Math.Max(1, segment.EndMs - segment.StartMs);
            int count = (int)Math.Floor(words.Length * heard);
            if (count < words.Length)
            {
                rest.Add(string.Join(' ', words.Skip(count)));
            }
        }

        return string.Join(' ', rest).Trim();
    }
}
