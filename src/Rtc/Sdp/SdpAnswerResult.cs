namespace MediaServer.Rtc.Sdp;

/// <summary>The outcome of answering an offer: either <see cref="Negotiated"/> or an error with a message for the client.</summary>
public sealed class SdpAnswerResult
{
    private SdpAnswerResult(SdpOfferError error, string? message, WebRtcOfferAnswer? negotiated)
    {
        Error = error;
        Message = message;
        Negotiated = negotiated;
    }

    /// <summary><see cref="SdpOfferError.None"/> on success.</summary>
    public SdpOfferError Error { get; }

    /// <summary>A sentence for the HTTP 400 body; never echoes offer bytes.</summary>
    public string? Message { get; }

    /// <summary>The negotiated parameters and the answer text, on success.</summary>
    public WebRtcOfferAnswer? Negotiated { get; }

    /// <summary>True on success.</summary>
    public bool Succeeded => Error == SdpOfferError.None;

    internal static SdpAnswerResult Ok(WebRtcOfferAnswer negotiated) => new(SdpOfferError.None, null, negotiated);

    internal static SdpAnswerResult Fail(SdpOfferError error, string message) => new(error, message, null);
}
