namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// What the upstream is saying, as far as barge-in needs to know: the response in progress, the assistant item
/// whose audio is playing and how much of that audio has arrived. With the queued audio the call leg reports, this
/// gives the <c>audio_end_ms</c> the upstream must truncate its item to (what the caller actually heard).
/// </summary>
internal sealed class UpstreamPlayback
{
    private long _itemSamples;

    /// <summary>Id of the upstream response in progress (between <c>response.created</c> and <c>response.done</c>).</summary>
    public string? ActiveResponseId { get; private set; }

    /// <summary>True once we asked the upstream to cancel the active response.</summary>
    public bool CancelSent { get; set; }

    /// <summary>A <c>response.create</c> waits for the active (cancelled) response to finish.</summary>
    public bool CreatePending { get; set; }

    /// <summary>The assistant message whose audio arrived last.</summary>
    public string? AudioItemId { get; private set; }

    /// <summary>The response that audio belongs to.</summary>
    public string? AudioResponseId { get; private set; }

    public long AudioItemMs => _itemSamples * 1000 / UpstreamAudio.Rate;

    public void OnResponseCreated(string? id)
    {
        ActiveResponseId = id;
        CancelSent = false;
    }

    public void OnResponseDone()
    {
        ActiveResponseId = null;
        CancelSent = false;
    }

    /// <summary>Counts a delta's samples; returns true for the first audio of a response.</summary>
    public bool OnAudio(string? responseId, string? itemId, int samples)
    {
        bool first = responseId != AudioResponseId;
        if (itemId != AudioItemId)
        {
            AudioItemId = itemId;
            _itemSamples = 0;
        }

        AudioResponseId = responseId;
        _itemSamples += samples;
        return first;
    }

    /// <summary>What was heard of the current item when <paramref name="dropped"/> of it was still queued.</summary>
    public long PlayedMs(TimeSpan dropped) => Math.Max(0, AudioItemMs - (long)dropped.TotalMilliseconds);
}
