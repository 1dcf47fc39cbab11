using MediaServer.Rtc.Sdp;

namespace MediaServer.Rtc.WebRtc;

/// <summary>The result of <see cref="WebRtcEndpoint.Accept"/>: the answer and the connection, or why the offer was refused.</summary>
public sealed class WebRtcAcceptResult
{
    internal WebRtcAcceptResult(SdpOfferError error, string? message, string? answerSdp, WebRtcPeerConnection? connection)
    {
        Error = error;
        Message = message;
        AnswerSdp = answerSdp;
        Connection = connection;
    }

    /// <summary>None on success; otherwise answer HTTP 400 with <see cref="Message"/>.</summary>
    public SdpOfferError Error { get; }

    /// <summary>A sentence for the client on failure.</summary>
    public string? Message { get; }

    /// <summary>The SDP answer (201 body) on success.</summary>
    public string? AnswerSdp { get; }

    /// <summary>The new connection on success.</summary>
    public WebRtcPeerConnection? Connection { get; }

    /// <summary>True on success.</summary>
    public bool Succeeded => Error == SdpOfferError.None;
}
