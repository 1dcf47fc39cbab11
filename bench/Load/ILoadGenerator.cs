namespace MediaServer.Load;

/// <summary>One transport's callers: starts N concurrent calls that stream speech and hear the answers.</summary>
public interface ILoadGenerator : IAsyncDisposable
{
    /// <summary>Starts <paramref name="calls"/> calls that last about <paramref name="duration"/> (they end by themselves).</summary>
    Task StartAsync(int calls, TimeSpan duration);

    /// <summary>Ends the calls (if still up) and reports what the callers saw.</summary>
    Task<ClientReport> StopAsync();
}

/// <summary>What the callers saw.</summary>
/// <param name="Answers">Agent responses completed (WebSocket, WebRTC) or calls completed (SIPp).</param>
/// <param name="Errors">Failed calls, error events, connection failures.</param>
/// <param name="DriverLateFrames">Frames the driver itself sent more than 20 ms late (a busy client, not the server).</param>
/// <param name="Note">Anything worth a footnote.</param>
public sealed record ClientReport(int Answers, int Errors, long DriverLateFrames, string Note = "");
