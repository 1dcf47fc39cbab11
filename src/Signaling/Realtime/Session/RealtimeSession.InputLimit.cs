using MediaServer.Signaling.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The input audio buffer's maximum (<see cref="RealtimeSessionOptions.MaxInputBufferSeconds"/>). With manual turns a
/// client that appends and never commits would grow the buffer until the session ends; past the maximum its append is
/// refused with <c>input_audio_buffer_full</c>, and everything buffered before stays for the commit or clear. Logged
/// once per session: an overflowing client sends many appends.
/// </summary>
public sealed partial class RealtimeSession
{
    private bool _inputFullLogged;
    private bool _callAudioRefused;
    private bool _inputTrimLogged;

    /// <summary>The error for an <c>input_audio_buffer.append</c> of <paramref name="samples"/> that would not fit, else null.</summary>
    private RealtimeError? RefuseIfInputFull(int samples, int sampleRate)
    {
        if (!_input.WouldOverflow(samples, sampleRate))
        {
            return null;
        }

        LogInputFullOnce();
        return InputFullError();
    }

    /// <summary>
    /// A call leg's frame that would not fit (manual turns on a call, set through the sideband): dropped, and the
    /// call's listeners told once until the buffer has room again, not once per 20 ms frame.
    /// </summary>
    private bool RefuseCallAudioIfFull(int samples, int sampleRate)
    {
        if (!_input.WouldOverflow(samples, sampleRate))
        {
            _callAudioRefused = false;
            return false;
        }

        if (!_callAudioRefused)
        {
            _callAudioRefused = true;
            LogInputFullOnce();
            Emit(ServerEventJson.Error(InputFullError()));
        }

        return true;
    }

    private RealtimeError InputFullError() => RealtimeError.Invalid("input_audio_buffer_full",
        $"The input audio buffer holds its maximum of {_input.MaxBufferMs / 1000.0:0.###} s ({_input.BufferedMs} ms buffered); " +
        "this audio was not added. Commit or clear the buffer, then append again.", "audio");

    private void LogInputFullOnce()
    {
        if (!_inputFullLogged)
        {
            _inputFullLogged = true;
            LogInputFull(Logger, _input.MaxBufferMs);
        }
    }

    void IInputAudioEvents.OnInputBufferTrimmed()
    {
        if (!_inputTrimLogged)
        {
            _inputTrimLogged = true;
            LogInputTrimmed(Logger, _input.MaxBufferMs);
        }
    }

    [LoggerMessage(EventId = 145, Level = LogLevel.Warning,
        Message = "Input audio buffer full ({MaxMs} ms) with manual turns: appends refused with input_audio_buffer_full until the client commits or clears (logged once per session)")]
    private static partial void LogInputFull(ILogger logger, int maxMs);

    [LoggerMessage(EventId = 146, Level = LogLevel.Warning,
        Message = "A turn outgrew the input audio buffer ({MaxMs} ms); its oldest audio is dropped (logged once per session)")]
    private static partial void LogInputTrimmed(ILogger logger, int maxMs);
}
