using System.Net;
using System.Net.Sockets;

namespace MediaServer.SipBridge.Media;

/// <summary>
/// Binds RTP sockets inside a configured port range (what trunk firewalls are opened for), even ports only
/// (RFC 3550 §11), starting at a random point so concurrent calls rarely probe the same ports. An empty range
/// (0-0) lets the OS choose.
/// </summary>
public sealed class RtpPortRange(int min, int max)
{
    /// <summary>OS-chosen ports.</summary>
    public static RtpPortRange Any { get; } = new(0, 0);

    public int Min { get; } = min;

    public int Max { get; } = max;

    /// <summary>Binds <paramref name="socket"/>; throws <see cref="SocketException"/> when every port is taken.</summary>
    public void Bind(Socket socket, IPAddress address)
    {
        if (Min == 0 && Max == 0)
        {
            socket.Bind(new IPEndPoint(address, 0));
            return;
        }

        int first = (Min + 1) & ~1;
        int count = ((Max - first) / 2) + 1;
        int start = Random.Shared.Next(Math.Max(1, count));
        for (int i = 0; i < count; i++)
        {
            int port = first + (2 * ((start + i) % count));
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }

        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }
}
