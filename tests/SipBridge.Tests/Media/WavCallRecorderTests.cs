using MediaServer.SipBridge.Media;

namespace MediaServer.SipBridge.Tests.Media;

public sealed class WavCallRecorderTests
{
    [Fact]
    public async Task Frames_are_interleaved_caller_left_agent_right_and_the_header_is_patched_while_recording()
    {
        string path = Path.Combine(Path.GetTempPath(), "rec-" + Guid.NewGuid().ToString("N") + ".wav");
        var recorder = new WavCallRecorder(path, framesPerFlush: 2);
        short[] caller = Enumerable.Range(0, 160).Select(i => (short)i).ToArray();
        short[] agent = Enumerable.Range(0, 160).Select(i => (short)-i).ToArray();
        for (int f = 0; f < 4; f++)
        {
            recorder.WriteFrame(caller, agent);
        }

        // While still open, the flushed part is already a valid file (crash safety).
        for (int i = 0; i < 100 && new FileInfo(path).Length < 44 + (4 * 160 * 4); i++)
        {
            await Task.Delay(20);
        }

        using (var copy = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            byte[] header = new byte[44];
            copy.ReadExactly(header);
            Assert.Equal(4 * 160 * 4, BitConverter.ToInt32(header, 40));
        }

        await recorder.DisposeAsync();
        var (left, right) = WavFile.ReadStereo(path);
        Assert.Equal(640, left.Length);
        Assert.Equal(caller, left[160..320]);
        Assert.Equal(agent, right[480..640]);
        File.Delete(path);
    }
}
