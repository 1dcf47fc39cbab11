using System.Text;
using MediaServer.Pipeline.Text;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Expressive;

/// <summary>
/// Turns one reply's streamed LLM text into an ordered plan of <see cref="SpeakSegment"/>s and
/// <see cref="NonVerbalSegment"/>s. Tags are removed by <see cref="StreamingTagFilter"/> (so a tag split across tokens
/// never leaks), classified by <see cref="ExpressiveTagVocabulary"/>, and words are cut at sentence boundaries by
/// <see cref="SentenceSegmenter"/> so synthesis can start before the LLM has finished. A steering tag ends the span
/// before it and governs the words after it until the next steering tag (Inworld TTS-2 semantics,
/// REALTIME-PROTOCOL.md §6.5); an unknown tag is dropped and leaves the style as it was. One planner per reply;
/// not thread-safe.
/// </summary>
public sealed class ExpressiveSpeechPlanner
{
    private static readonly SpeechStyle NeutralStyle = new();

    private readonly StreamingTagFilter _filter = new();
    private readonly SentenceSegmenter _segmenter;
    private readonly StringBuilder _display = new();
    private readonly List<string> _unknownTags = [];
    private SpeechStyle _style;
    private readonly StringBuilder _heldWhitespace = new();
    private bool _tagSinceWord;

    private readonly bool _keepTagsInDisplay;

    /// <param name="initialStyle">Style before the first steering tag (neutral when null).</param>
    /// <param name="keepTagsInDisplay">Show the text exactly as the model wrote it, tags included (speech never has them).</param>
    /// <param name="segmentation">How words are cut into speakable pieces.</param>
    public ExpressiveSpeechPlanner(SpeechStyle? initialStyle = null, bool keepTagsInDisplay = false, SegmentationMode segmentation = SegmentationMode.Sentence)
    {
        _segmenter = new SentenceSegmenter(segmentation);
        _style = initialStyle ?? NeutralStyle;
        _keepTagsInDisplay = keepTagsInDisplay;
    }

    /// <summary>
    /// The reply so far as captions and history should show it: tags removed and spacing around them tidied (or the raw
    /// text when tags are kept).
    /// </summary>
    public string DisplayText => _display.ToString();

    /// <summary>The style that governs the next words.</summary>
    public SpeechStyle CurrentStyle => _style;

    /// <summary>Tags outside the vocabulary, in order (the caller logs each once per session).</summary>
    public IReadOnlyList<string> UnknownTags => _unknownTags;

    /// <summary>Feeds one streamed piece; returns the display text it adds and the segments it completes.</summary>
    public ExpressivePlanStep Append(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var segments = new List<ExpressiveSegment>();
        var displayStart = _display.Length;
        if (_keepTagsInDisplay) _display.Append(piece);
        var start = 0;
        while (start < piece.Length)
        {
            // Feed up to and including the next ']' so a tag the filter completes sits exactly after the text it returns.
            var close = piece.IndexOf(']', start);
            var end = close < 0 ? piece.Length : close + 1;
            var tagsBefore = _filter.Tags.Count;
            AddText(_filter.Append(piece[start..end]), segments);
            for (var i = tagsBefore; i < _filter.Tags.Count; i++) AddTag(_filter.Tags[i], segments);
            start = end;
        }

        return new ExpressivePlanStep(_display.ToString(displayStart, _display.Length - displayStart), segments);
    }

    /// <summary>Ends the reply: an unclosed bracket is released as words, and the last span is returned.</summary>
    public ExpressivePlanStep Complete()
    {
        var segments = new List<ExpressiveSegment>();
        var displayStart = _display.Length;
        AddText(_filter.Flush(), segments);
        FlushSpan(segments);
        var added = _display.ToString(displayStart, _display.Length - displayStart);
        return new ExpressivePlanStep(added, segments);
    }

    private void AddText(string text, List<ExpressiveSegment> segments)
    {
        if (text.Length == 0) return;
        foreach (var c in _keepTagsInDisplay ? string.Empty : text)
        {
            // Whitespace is held back until a word follows, so a removed tag leaves one space ("Hi [laugh] there" shows
            // as "Hi there"), a leading tag none ("[whisper] hello"), and a trailing tag no dangling space.
            if (char.IsWhiteSpace(c))
            {
                _heldWhitespace.Append(c);
                continue;
            }

            if (_heldWhitespace.Length > 0 && _display.Length > 0)
            {
                if (_tagSinceWord) _display.Append(' ');
                else _display.Append(_heldWhitespace);
            }

            _heldWhitespace.Clear();
            _tagSinceWord = false;
            _display.Append(c);
        }

        foreach (var sentence in _segmenter.Append(text)) segments.Add(new SpeakSegment(sentence, _style));
    }

    private void AddTag(string tag, List<ExpressiveSegment> segments)
    {
        _tagSinceWord = true;
        var meaning = ExpressiveTagVocabulary.Classify(tag);
        switch (meaning.Kind)
        {
            case ExpressiveTagKind.Steering:
                FlushSpan(segments);
                _style = meaning.Style ?? NeutralStyle;
                break;
            case ExpressiveTagKind.NonVerbal:
                FlushSpan(segments);
                segments.Add(new NonVerbalSegment(meaning.Sound ?? NonVerbalKind.Hmm, tag, _style.VolumeFactor));
                break;
            default:
                _unknownTags.Add(tag);
                break;
        }
    }

    private void FlushSpan(List<ExpressiveSegment> segments)
    {
        var rest = _segmenter.Flush();
        if (rest is not null && rest.Any(char.IsLetterOrDigit)) segments.Add(new SpeakSegment(rest, _style));
    }
}

/// <summary>What one <see cref="ExpressiveSpeechPlanner.Append"/> produced.</summary>
/// <param name="DisplayDelta">Text to append to the transcript (tags removed); may be empty.</param>
/// <param name="Segments">Completed segments, in order; may be empty.</param>
public sealed record ExpressivePlanStep(string DisplayDelta, IReadOnlyList<ExpressiveSegment> Segments);
