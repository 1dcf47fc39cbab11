using System.Diagnostics;
using System.Globalization;

namespace MediaServer.SipBridge.Tests.Baresip;

/// <summary>
/// Runs Debian's baresip 1.0.0 headless: a throwaway config directory, loopback only, G.711 only, audio from a
/// WAV file (aufile: hangs up when the file ends), both directions recorded by sndfile.
/// </summary>
internal sealed class BaresipRunner : IDisposable
{
    public BaresipRunner(string sourceWav, int sipPort)
    {
        Directory = Path.Combine(Path.GetTempPath(), "baresip-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        RecordDirectory = Path.Combine(Directory, "rec");
        System.IO.Directory.CreateDirectory(RecordDirectory);
        SipPort = sipPort;
        File.WriteAllText(Path.Combine(Directory, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}",
            "net_interface 127.0.0.1",
            $"audio_source aufile,{sourceWav}",
            "audio_player aufile,/dev/null",
            "audio_alert aufile,/dev/null",
            "audio_srate 8000",
            "audio_channels 1",
            "rtp_timeout 0",
            $"snd_path {RecordDirectory}",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aufile.so",
            "module sndfile.so",
            "module_app account.so",
            "module_app contact.so",
            "module_app menu.so",
            "module_tmp uuid.so",
            "") + "\n");
        File.WriteAllText(Path.Combine(Directory, "accounts"), $"<sip:tester@127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}>;regint=0;answermode=auto;audio_codecs=PCMU/8000/1\n");
        File.WriteAllText(Path.Combine(Directory, "contacts"), string.Empty);
    }

    public string Directory { get; }

    public string RecordDirectory { get; }

    public int SipPort { get; }

    /// <summary>Runs baresip with commands for at most <paramref name="seconds"/>; returns its log.</summary>
    public async Task<string> RunAsync(int seconds, params string[] commands)
    {
        var args = new List<string> { "-f", Directory, "-t", seconds.ToString(CultureInfo.InvariantCulture) };
        foreach (string c in commands)
        {
            args.Add("-e");
            args.Add(c);
        }

        var psi = new ProcessStartInfo("baresip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 15));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(true);
        }

        return await o + "\n" + await e;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
