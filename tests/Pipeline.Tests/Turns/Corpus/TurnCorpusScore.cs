namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>How one decision compares with the truth.</summary>
public enum TurnOutcome
{
    /// <summary>The turn ended at a true end of turn.</summary>
    Correct,

    /// <summary>The turn ended during a hold pause or mid-speech: the user was cut off mid-thought.</summary>
    CutOff,

    /// <summary>The turn ended between two complete sentences (acceptable, not counted either way).</summary>
    Optional,
}

/// <summary>Scores decisions against a corpus utterance's truth and accumulates precision, recall and waits.</summary>
public sealed class TurnCorpusScore
{
    private readonly List<double> _waits = [];

    public int Correct { get; private set; }

    public int CutOffs { get; private set; }

    public int Optional { get; private set; }

    public int Ends { get; private set; }

    public int Holds { get; private set; }

    /// <summary>Every correct decision with what the detector knew, for tuning.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Cut-offs and misses, for the test's report.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Of the turn ends decided (optional ones aside), the share at a true end: no cut-off mid-thought.</summary>
    public double Precision => Correct + CutOffs == 0 ? 1 : (double)Correct / (Correct + CutOffs);

    /// <summary>Of the true ends of turn, the share the detector took before the user spoke again or the audio ended.</summary>
    public double Recall => Ends == 0 ? 1 : (double)Correct / Ends;

    /// <summary>Median time from the end of a complete utterance to the decision (ms).</summary>
    public double MedianWaitMs => Percentile(0.5);

    public double P90WaitMs => Percentile(0.9);

    /// <summary>Classifies one decision; <paramref name="decided"/> tells which boundaries were already taken.</summary>
    public static (TurnOutcome Outcome, TurnBoundary? Boundary) Classify(TurnCorpusUtterance utterance, long audioEndMs)
    {
        foreach (var b in utterance.Boundaries)
        {
            if (audioEndMs >= b.SpeechEndMs && audioEndMs <= b.SpeechEndMs + b.PauseMs)
            {
                return (b.Kind switch
                {
                    TurnBoundaryKind.End => TurnOutcome.Correct,
                    TurnBoundaryKind.Optional => TurnOutcome.Optional,
                    _ => TurnOutcome.CutOff,
                }, b);
            }
        }

        return (TurnOutcome.CutOff, null); // ended while the user was still speaking
    }

    public void Add(TurnCorpusUtterance utterance, IReadOnlyList<TurnDecision> decisions)
    {
        var taken = new HashSet<TurnBoundary>();
        foreach (var d in decisions)
        {
            var (outcome, boundary) = Classify(utterance, d.AudioEndMs);
            if (boundary is not null && !taken.Add(boundary))
            {
                continue;
            }

            switch (outcome)
            {
                case TurnOutcome.Correct:
                    Correct++;
                    Log.Add($"end {utterance.Name} wait {d.AudioEndMs - boundary!.SpeechEndMs} heard \"{d.Transcript}\" score {d.Score?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} pitch {d.Prosody.Movement} {d.Prosody.SlopeSemitonesPerSecond:0.0} {d.Prosody.FinalVsMedianSemitones:0.0}");
                    _waits.Add(d.AudioEndMs - boundary!.SpeechEndMs);
                    break;
                case TurnOutcome.Optional:
                    Optional++;
                    break;
                default:
                    CutOffs++;
                    Errors.Add($"cut-off {utterance.Name} at {d.AudioEndMs} ms ({boundary?.Cue ?? "mid-speech"}) heard \"{d.Transcript}\" score {d.Score?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} pitch {d.Prosody.Movement} {d.Prosody.SlopeSemitonesPerSecond:0.0} {d.Prosody.FinalVsMedianSemitones:0.0}");
                    break;
            }
        }

        foreach (var b in utterance.Boundaries)
        {
            if (b.Kind == TurnBoundaryKind.End)
            {
                Ends++;
                if (!taken.Contains(b))
                {
                    Errors.Add($"missed {utterance.Name} end at {b.SpeechEndMs} ms");
                }
            }
            else if (b.Kind == TurnBoundaryKind.Hold)
            {
                Holds++;
            }
        }
    }

    private double Percentile(double q)
    {
        if (_waits.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _waits.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
    }
}
