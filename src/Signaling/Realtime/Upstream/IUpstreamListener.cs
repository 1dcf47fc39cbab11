namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>What an <see cref="UpstreamConnection"/> reports to its session. Called from the connection's own loops.</summary>
internal interface IUpstreamListener
{
    /// <summary>One server event (a whole JSON text message) from the upstream, in order.</summary>
    void OnUpstreamEvent(ReadOnlySpan<byte> utf8Json);

    /// <summary>The connection could not be made, or it ended; called once, never after <see cref="UpstreamConnection.DisposeAsync"/>.</summary>
    void OnUpstreamFailed(UpstreamFailure failure);
}

/// <summary>Why the upstream is gone, in the words the client gets in its <c>error</c> event.</summary>
/// <param name="Code"><c>upstream_connect_failed</c>, <c>upstream_unauthorized</c> or <c>upstream_disconnected</c>.</param>
/// <param name="Message">What happened, with the HTTP status or WebSocket close status when there is one.</param>
public sealed record UpstreamFailure(string Code, string Message);
