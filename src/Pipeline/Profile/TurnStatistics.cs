namespace MediaServer.Pipeline.Profile;

/// <summary>
/// Turn-level statistics from the per-frame measurements: which frames are speech, their mean level and its
/// spread, the voicing ratio, the median F0 and the syllable-nuclei rate. Uses the pooled scratch array only.
/// </summary>
internal readonly record struct TurnStatistics(
    double SpeechSeconds,
    double MedianF0Hz,
    double LevelDbfs,
    double LevelStdDb,
    double VoicedRatio,
    double HighBandRatio,
    double NucleiPerSecond)
{
    /// <summary>A frame is speech when within this many dB of the turn's loudest frame (and above the floor).</summary>
    public const float DynamicRangeDb = 35f;

    /// <summary>Silences longer than this inside the turn are pauses, not articulation, and leave the rate's time base.</summary>
    public const double PauseSeconds = 0.25;

    /// <summary>A frame must also be this far above the turn's noise floor (its 10th-percentile frame level), so
    /// room noise, crowd and mains hum in the pauses do not count as (unvoiced) speech.</summary>
    public const float NoiseMarginDb = 6f;

    /// <summary>A syllable nucleus is an envelope peak at least this far above the dip before it (de Jong and Wempe,
    /// "Praat script to detect syllable nuclei", Behavior Research Methods 41(2), 2009, use 2 dB).</summary>
    public const float NucleusDipDb = 2f;

    /// <summary>Below this voicing ratio the turn is treated as whispered, and nuclei need not be voiced.</summary>
    public const double WhisperVoicingRatio = 0.3;

    public static TurnStatistics Compute(FrameFeatures frames, float silenceFloorDb, double frameSeconds)
    {
        var n = frames.Count;
        if (n == 0) return default;
        var level = frames.LevelDb.AsSpan(0, n);
        var f0 = frames.F0Hz.AsSpan(0, n);
        var active = frames.Active.AsSpan(0, n);

        var max = float.MinValue;
        foreach (var l in level) max = Math.Max(max, l);
        var sorted = frames.Scratch.AsSpan(0, n);
        level.CopyTo(sorted);
        sorted.Sort();
        var noiseFloor = sorted[n / 10];
        // A steady signal (no pauses: its floor is its level) keeps every frame within NoiseMarginDb of the top.
        var floorGate = Math.Min(noiseFloor + NoiseMarginDb, max - NoiseMarginDb);
        var gate = Math.Max(silenceFloorDb, Math.Max(max - DynamicRangeDb, floorGate));

        int activeCount = 0, voiced = 0, first = -1, last = -1;
        double sum = 0, sumSquares = 0, highBand = 0;
        for (var i = 0; i < n; i++)
        {
            active[i] = level[i] >= gate;
            if (!active[i]) continue;
            activeCount++;
            sum += level[i];
            sumSquares += (double)level[i] * level[i];
            highBand += frames.HighBand[i];
            if (f0[i] > 0) voiced++;
            if (first < 0) first = i;
            last = i;
        }

        if (activeCount == 0) return default;

        // Articulation time: first to last speech frame, minus pauses longer than PauseSeconds.
        var pauseFrames = (int)Math.Round(PauseSeconds / frameSeconds);
        var speechFrames = last - first + 1;
        var run = 0;
        for (var i = first; i <= last; i++)
        {
            if (!active[i])
            {
                run++;
                continue;
            }

            if (run > pauseFrames) speechFrames -= run;
            run = 0;
        }

        var mean = sum / activeCount;
        var variance = Math.Max(0, sumSquares / activeCount - mean * mean);
        var voicedRatio = voiced / (double)activeCount;

        // Median F0 of voiced speech frames.
        var scratch = frames.Scratch.AsSpan(0, n);
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (active[i] && f0[i] > 0) scratch[count++] = f0[i];
        }

        double median = 0;
        if (count > 0)
        {
            var values = scratch[..count];
            values.Sort();
            median = count % 2 == 1 ? values[count / 2] : 0.5 * (values[count / 2 - 1] + values[count / 2]);
        }

        var nuclei = CountNuclei(level, f0, active, scratch, voicedRatio >= WhisperVoicingRatio);
        var speechSeconds = speechFrames * frameSeconds;
        return new TurnStatistics(
            speechSeconds,
            median,
            mean,
            Math.Sqrt(variance),
            voicedRatio,
            highBand / activeCount,
            speechSeconds > 0 ? nuclei / speechSeconds : 0);
    }

    /// <summary>
    /// Counts peaks of the 3-frame smoothed level envelope that rise <see cref="NucleusDipDb"/> above the dip since
    /// the previous peak and are speech (and voiced, unless the turn is whispered).
    /// </summary>
    private static int CountNuclei(ReadOnlySpan<float> level, ReadOnlySpan<float> f0, ReadOnlySpan<bool> active, Span<float> envelope, bool needVoicing)
    {
        var n = level.Length;
        for (var i = 0; i < n; i++)
        {
            var a = level[Math.Max(0, i - 1)];
            var c = level[Math.Min(n - 1, i + 1)];
            envelope[i] = (a + 2 * level[i] + c) * 0.25f;
        }

        var nuclei = 0;
        var dip = float.MaxValue;
        var havePeak = false;
        var peak = float.MinValue;
        for (var i = 1; i < n - 1; i++)
        {
            var e = envelope[i];
            if (!active[i])
            {
                // Silence is a full dip.
                dip = float.MinValue;
                continue;
            }

            dip = Math.Min(dip, e);
            var isPeak = e > envelope[i - 1] && e >= envelope[i + 1];
            if (!isPeak || (needVoicing && f0[i] <= 0)) continue;

            if (e - dip >= NucleusDipDb && (!havePeak || peak - dip >= NucleusDipDb))
            {
                nuclei++;
                havePeak = true;
                peak = e;
                dip = e;
            }
            else if (e > peak)
            {
                peak = e; // same nucleus, higher top
                dip = e;
            }
        }

        return nuclei;
    }
}
