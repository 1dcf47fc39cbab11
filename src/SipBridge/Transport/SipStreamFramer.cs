using System.Globalization;
using System.Text;
using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Transport;

/// <summary>
/// Cuts a byte stream into SIP messages (RFC 3261 §18.3): headers end at the empty line, the body is exactly
/// Content-Length bytes (mandatory on streams). CRLF keep-alives between messages (RFC 5626 §3.5.1) are skipped.
/// </summary>
public sealed class SipStreamFramer(SipParserLimits limits)
{
    private byte[] _buffer = new byte[8192];
    private int _count;

    /// <summary>Outcome of <see cref="TryNext"/>.</summary>
    public enum Result
    {
        /// <summary>A whole message is available.</summary>
        Message,
        /// <summary>More bytes are needed.</summary>
        NeedMore,
        /// <summary>The stream cannot be framed (no/invalid Content-Length, over the limits): close it.</summary>
        Broken,
    }

    /// <summary>Appends received bytes; false when the buffer would exceed the message limit.</summary>
    public bool Append(ReadOnlySpan<byte> data)
    {
        if (_count + data.Length > limits.MaxMessageBytes * 2)
        {
            return false;
        }

        if (_count + data.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + data.Length));
        }

        data.CopyTo(_buffer.AsSpan(_count));
        _count += data.Length;
        return true;
    }

    /// <summary>Extracts the next complete message into <paramref name="message"/> (a copy).</summary>
    public Result TryNext(out byte[] message)
    {
        message = [];
        int start = 0;
        while (start < _count && _buffer[start] is (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start > 0)
        {
            Consume(start);
        }

        var data = _buffer.AsSpan(0, _count);
        int headerEnd = SipParser.FindHeaderEnd(data, out int terminator);
        if (headerEnd < 0)
        {
            return _count > limits.MaxHeaderBytes ? Result.Broken : Result.NeedMore;
        }

        if (!TryFindContentLength(data[..headerEnd], out int contentLength))
        {
            return Result.Broken;
        }

        int total = headerEnd + terminator + contentLength;
        if (total > limits.MaxMessageBytes)
        {
            return Result.Broken;
        }

        if (_count < total)
        {
            return Result.NeedMore;
        }

        message = data[..total].ToArray();
        Consume(total);
        return Result.Message;
    }

    private void Consume(int n)
    {
        _buffer.AsSpan(n, _count - n).CopyTo(_buffer);
        _count -= n;
    }

    private static bool TryFindContentLength(ReadOnlySpan<byte> head, out int length)
    {
        length = -1;
        foreach (string raw in Encoding.Latin1.GetString(head).Split('\n'))
        {
            int colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || raw[0] is ' ' or '\t')
            {
                continue;
            }

            string name = raw[..colon].Trim();
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("l", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (length >= 0 || !int.TryParse(raw.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                length = -1;
                return false;
            }
        }

        return length >= 0;
    }
}
