using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// Joins a call's media leg to its realtime session: inbound frames feed the session's input, DTMF becomes
/// <c>input_audio_buffer.dtmf_event_received</c>, data channel messages are client events, and the end of the call
/// closes the session.
/// </summary>
public sealed class CallSessionBinder(RealtimeSession session, ICallMediaLeg leg, TimeProvider time) : ICallMediaSink
{
    public void OnInputFrame(ReadOnlySpan<short> pcm) => session.AppendCallAudio(pcm, leg.InputSampleRate);

    public void OnDtmf(char digit) => session.EmitServerEvent(ServerEventJson.Build("input_audio_buffer.dtmf_event_received", w =>
    {
        w.WriteString("event", digit.ToString());
        w.WriteNumber("received_at", time.GetUtcNow().ToUnixTimeSeconds());
    }));

    public void OnEventMessage(string json) => session.HandleClientEvent(System.Text.Encoding.UTF8.GetBytes(json));

    public void OnEnded(string reason) => session.Close();
}
