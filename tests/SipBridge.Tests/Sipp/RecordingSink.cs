using MediaServer.Signaling.Calls;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>A fake realtime session: records every inbound frame, digit and the end.</summary>
internal sealed class RecordingSink : ICallMediaSink
{
    private readonly List<short> _samples = [];
    private readonly List<char> _digits = [];
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Frames { get; private set; }

    public Task<string> Ended => _ended.Task;

    public short[] Samples()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }

    public string Digits()
    {
        lock (_digits)
        {
            return new string([.. _digits]);
        }
    }

    public void OnInputFrame(ReadOnlySpan<short> pcm)
    {
        lock (_samples)
        {
            Frames++;
            foreach (short s in pcm)
            {
                _samples.Add(s);
            }
        }
    }

    public void OnDtmf(char digit)
    {
        lock (_digits)
        {
            _digits.Add(digit);
        }
    }

    public void OnEventMessage(string json)
    {
    }

    public void OnEnded(string reason) => _ended.TrySetResult(reason);
}
