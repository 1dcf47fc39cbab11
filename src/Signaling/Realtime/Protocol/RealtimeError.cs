namespace MediaServer.Signaling.Realtime.Protocol;

/// <summary>
/// The body of an <c>error</c> server event (REALTIME-PROTOCOL.md §3.3). <see cref="Param"/> names the offending
/// field (for example <c>session.audio.output.voice</c>); <see cref="EventId"/> echoes the client's event id.
/// </summary>
public sealed record RealtimeError(string Type, string? Code, string Message, string? Param = null, string? EventId = null)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";

    public static RealtimeError Invalid(string code, string message, string? param = null) =>
        new(InvalidRequest, code, message, param);
}
