using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace MediaServer.Rtc.Dtls;

/// <summary>
/// BouncyCastle's <see cref="DatagramTransport"/> over our demultiplexer: inbound DTLS datagrams are pushed into a
/// bounded queue by the mux thread; outbound ones go to a send delegate (the ICE agent's selected path).
/// During the handshake BouncyCastle blocks in <see cref="Receive(byte[], int, int, int)"/> (on its own task);
/// afterwards the owner pumps records without blocking (<see cref="NonBlocking"/>).
/// A timeout returns -1, which BouncyCastle reads as "nothing yet" (NOTES-WEBRTC.md).
/// </summary>
/// <summary>Sends one datagram on the connection's path.</summary>
internal delegate void DatagramSend(ReadOnlySpan<byte> datagram);

internal sealed class DtlsDatagramQueue : DatagramTransport
{
    /// <summary>Datagrams held before the oldest are dropped (a handshake flight is under ten).</summary>
    private const int Capacity = 64;

    /// <summary>
    /// Largest datagram we hand BouncyCastle: 1200 bytes stays under common path MTUs with IP/UDP headers;
    /// BouncyCastle fragments handshake messages to it.
    /// </summary>
    private const int DefaultMtu = 1200;

    private readonly ConcurrentQueue<byte[]> _queue = new();
    private readonly SemaphoreSlim _available = new(0, int.MaxValue);
    private readonly DatagramSend _send;
    private volatile bool _closed;

    public DtlsDatagramQueue(DatagramSend send) => _send = send;

    /// <summary>Datagram size limit; smaller values force handshake fragmentation (tests).</summary>
    public int Mtu { get; set; } = DefaultMtu;

    /// <summary>When set, <see cref="Receive(byte[], int, int, int)"/> never waits.</summary>
    public bool NonBlocking { get; set; }

    /// <summary>Raised once when BouncyCastle closes the transport (close_notify, fatal alert, or our Close).</summary>
    public event Action? Closed;

    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>Queues an inbound datagram (mux thread). Drops the oldest when full: DTLS retransmits.</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (_closed)
        {
            return;
        }

        _queue.Enqueue(datagram.ToArray());
        while (_queue.Count > Capacity && _queue.TryDequeue(out _))
        {
        }

        _available.Release();
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => Mtu - 13 - 8 - 20; // leave room for record header and IP/UDP overhead slack

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            throw new TlsFatalAlert(AlertDescription.close_notify);
        }

        if (!NonBlocking && !_available.Wait(Math.Max(1, waitMillis)))
        {
            return -1;
        }

        if (NonBlocking && !_available.Wait(0))
        {
            return -1;
        }

        if (!_queue.TryDequeue(out var datagram))
        {
            return -1;
        }

        int n = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!_closed)
        {
            _send(buffer);
        }
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _available.Release();
        Closed?.Invoke();
    }
}
