using System.Collections.Concurrent;
using System.Diagnostics;
using MediaServer.SipBridge.Calls;
using MediaServer.SipBridge.Tests.Sipp;

namespace MediaServer.SipBridge.Tests.Baresip;

/// <summary>baresip (Debian) calls our server: its WAV reaches our sink, our tone reaches its recording.</summary>
[Trait("Category", "Interop")]
public sealed class BaresipCallTests : IAsyncLifetime
{
    private readonly SipServer _server = new(new SipOptions { Port = 0 });
    private readonly ConcurrentQueue<SipCall> _calls = new();

    public Task InitializeAsync() => _server.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Baresip_calls_in_sends_speech_hears_the_agent_and_hangs_up()
    {
        var sink = new RecordingSink();
        short[] tone = AudioFixtures.Tone(1000, TimeSpan.FromSeconds(1.5));
        _server.IncomingCall += call =>
        {
            _calls.Enqueue(call);
            _ = Task.Run(async () =>
            {
                call.Media.Start(sink);
                await call.AcceptAsync();
                call.Media.EnqueueOutput(tone);
            });
        };
        string wav = Path.Combine(Path.GetTempPath(), $"baresip-src-{Environment.ProcessId}.wav");
        Sox($"-t ul -r 8000 -c 1 {AudioFixtures.UlawPath} -t wav -e signed-integer -b 16 {wav} pad 0 1");
        using var baresip = new BaresipRunner(wav, SippRunner.FreeUdpPort());
        string log = await baresip.RunAsync(12, $"/dial sip:agent@127.0.0.1:{_server.UdpEndPoint!.Port}");

        Assert.True(_calls.TryPeek(out var call), "no call arrived\n" + log);
        Assert.Equal("remote_hangup", await sink.Ended.WaitAsync(TimeSpan.FromSeconds(5)));
        short[] received = sink.Samples();
        double correlation = AudioFixtures.BestCorrelation(AudioFixtures.Reference, received, out _);
        Assert.True(correlation > MinCorrelation, $"caller audio correlation {correlation:F3}, {MediaSummary(call)}\n{log}");

        // sndfile writes one WAV per direction; the decoded (received) one must carry our 1 kHz tone.
        var files = Directory.GetFiles(baresip.RecordDirectory, "*.wav");
        Assert.NotEmpty(files);
        double bestToneRms = files.Select(f => ToneRms(ReadWav(f), 1000)).Max();
        Assert.True(bestToneRms > 1000, $"tone level at baresip {bestToneRms:F0}; files: {string.Join(", ", files.Select(Path.GetFileName))}");
    }

    /// <summary>
    /// What we decode of baresip's speech must match the file it plays. Lossless loopback gives about 0.99; a packet
    /// of baresip's that arrives late is concealed and lowers the match. 0.9 failed once in seven clean-clone CI runs
    /// (0.853) and the SIPp load test sees arrival gaps too (session notes), so the bar is 0.8, far above unrelated
    /// audio, and the message says how many frames were concealed.
    /// </summary>
    private const double MinCorrelation = 0.8;

    private static string MediaSummary(SipCall call) =>
        $"concealed {call.Media.JitterStatistics.FramesConcealed}, arrival gaps >60 ms {call.Media.Counters.ArrivalGaps}";

    [Fact]
    public async Task We_call_baresip_it_answers_sends_speech_hears_the_agent_and_hangs_up()
    {
        string wav = Path.Combine(Path.GetTempPath(), $"baresip-src-out-{Environment.ProcessId}.wav");
        Sox($"-t ul -r 8000 -c 1 {AudioFixtures.UlawPath} -t wav -e signed-integer -b 16 {wav} pad 1 1");
        using var baresip = new BaresipRunner(wav, SippRunner.FreeUdpPort());
        var run = baresip.RunAsync(12);
        await Task.Delay(1500);

        var sink = new RecordingSink();
        var call = await _server.DialAsync($"sip:tester@127.0.0.1:{baresip.SipPort}").WaitAsync(TimeSpan.FromSeconds(10));
        call.Media.Start(sink);
        call.Media.EnqueueOutput(AudioFixtures.Tone(1000, TimeSpan.FromSeconds(1.5)));
        string reason = await call.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        string log = await run;
        Assert.True(reason == "remote_hangup", reason + "\n" + log);
        double correlation = AudioFixtures.BestCorrelation(AudioFixtures.Reference, sink.Samples(), out _);
        Assert.True(correlation > MinCorrelation, $"callee audio correlation {correlation:F3}, {MediaSummary(call)}\n{log}");
        double bestToneRms = Directory.GetFiles(baresip.RecordDirectory, "*.wav").Select(f => ToneRms(ReadWav(f), 1000)).DefaultIfEmpty(0).Max();
        Assert.True(bestToneRms > 1000, $"tone level at baresip {bestToneRms:F0}");
    }

    private static short[] ReadWav(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        int data = 12;
        while (data + 8 <= b.Length && System.Text.Encoding.ASCII.GetString(b, data, 4) != "data")
        {
            data += 8 + BitConverter.ToInt32(b, data + 4);
        }

        data += 8;
        var s = new short[Math.Max(0, (b.Length - data) / 2)];
        Buffer.BlockCopy(b, data, s, 0, s.Length * 2);
        return s;
    }

    /// <summary>Largest Goertzel amplitude at <paramref name="hz"/> over 100 ms windows (sample rate assumed 8 kHz).</summary>
    private static double ToneRms(short[] s, double hz)
    {
        const int n = 800;
        double best = 0;
        double coeff = 2 * Math.Cos(2 * Math.PI * hz / 8000);
        for (int start = 0; start + n <= s.Length; start += n)
        {
            double q1 = 0, q2 = 0;
            for (int i = 0; i < n; i++)
            {
                double q0 = coeff * q1 - q2 + s[start + i];
                q2 = q1;
                q1 = q0;
            }

            double power = q1 * q1 + q2 * q2 - q1 * q2 * coeff;
            best = Math.Max(best, Math.Sqrt(power) * 2 / n);
        }

        return best;
    }

    private static void Sox(string args)
    {
        using var p = Process.Start(new ProcessStartInfo("sox", args) { UseShellExecute = false, RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
    }
}
