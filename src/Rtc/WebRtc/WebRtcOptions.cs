using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Sctp;

namespace MediaServer.Rtc.WebRtc;

/// <summary>Settings of the WebRTC endpoint, one object per concern.</summary>
public sealed class WebRtcOptions
{
    /// <summary>The shared UDP port and ICE-lite behaviour.</summary>
    public IceOptions Ice { get; set; } = new();

    /// <summary>SCTP limits for data channels.</summary>
    public SctpOptions Sctp { get; set; } = new();

    /// <summary>Inbound jitter buffer.</summary>
    public JitterBufferOptions JitterBuffer { get; set; } = new();

    /// <summary>Outbound Opus encoder (48 kHz mono).</summary>
    public OpusEncoderOptions Opus { get; set; } = new();

    /// <summary>Opus library: native libopus when present, Concentus otherwise.</summary>
    public OpusImplementation OpusImplementation { get; set; } = OpusImplementation.Auto;

    /// <summary>Our <c>a=setup</c> when the offer says actpass. Client (active) by default: see NOTES-WEBRTC.md.</summary>
    public DtlsRole PreferredDtlsRole { get; set; } = DtlsRole.Client;

    /// <summary>SRTP profiles offered/accepted in DTLS use_srtp, in preference order.</summary>
    public IList<SrtpProfile> SrtpProfiles { get; } = [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm];

    /// <summary>In-memory handshakes run at start so the first call's DTLS is fast (NOTES-WEBRTC.md: 3 is enough).</summary>
    public int WarmUpHandshakes { get; set; } = 3;

    /// <summary>Most agent audio queued per call before older samples are dropped. 60 s at 48 kHz.</summary>
    public TimeSpan MaxQueuedOutput { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Media stream id in <c>a=msid</c>.</summary>
    public string StreamId { get; set; } = "agent";

    /// <summary>Track id in <c>a=msid</c>.</summary>
    public string TrackId { get; set; } = "agent-audio";

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        Ice.Validate();
        Sctp.Validate();
        JitterBuffer.Validate();
        Opus.Validate();
        if (SrtpProfiles.Count == 0 || WarmUpHandshakes < 0 || MaxQueuedOutput <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SrtpProfiles), "WebRTC options out of range.");
        }
    }
}
