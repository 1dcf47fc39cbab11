using System.Collections.Concurrent;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Sctp;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Tests.Dtls;

/// <summary>
/// SCTP data channels over DTLS over an asynchronous in-memory wire (one delivery thread per direction, like a
/// socket's receive loop), with application threads on both sides sending while messages arrive: checks the lock
/// ordering between the DTLS pump, the SCTP association and senders (no deadlock, nothing lost).
/// </summary>
public sealed class DtlsSctpConcurrencyTests
{
    private static readonly DtlsCertificate Cert = DtlsCertificate.Generate();

    private sealed class Wire : IDisposable
    {
        private readonly BlockingCollection<byte[]> _queue = [];
        private readonly Thread _thread;

        public Wire(Func<DtlsSrtpTransport> target)
        {
            _thread = new Thread(() =>
            {
                foreach (var datagram in _queue.GetConsumingEnumerable())
                {
                    target().OnDatagram(datagram);
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public void Send(ReadOnlySpan<byte> datagram) => _queue.Add(datagram.ToArray());

        public void Dispose()
        {
            _queue.CompleteAdding();
            _thread.Join(TimeSpan.FromSeconds(5));
            _queue.Dispose();
        }
    }

    [Fact]
    public async Task Both_sides_send_from_several_threads_while_receiving()
    {
        DtlsSrtpTransport? client = null, server = null;
        using var toServer = new Wire(() => server!);
        using var toClient = new Wire(() => client!);
        client = new DtlsSrtpTransport(DtlsRole.Client, Cert, Cert.Fingerprint, toServer.Send, NullLogger.Instance);
        server = new DtlsSrtpTransport(DtlsRole.Server, Cert, Cert.Fingerprint, toClient.Send, NullLogger.Instance);
        var sctpClient = new SctpAssociation(new SctpOptions(), TimeProvider.System, p => client.Send(p), NullLogger.Instance);
        var sctpServer = new SctpAssociation(new SctpOptions(), TimeProvider.System, p => server.Send(p), NullLogger.Instance);
        client.ApplicationData += sctpClient.HandlePacket;
        server.ApplicationData += sctpServer.HandlePacket;
        var channelsClient = new DataChannelManager(sctpClient, DtlsRole.Client);
        var channelsServer = new DataChannelManager(sctpServer, DtlsRole.Server);
        int atServer = 0, atClient = 0;
        var serverChannel = new TaskCompletionSource<DataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        channelsServer.ChannelOpened += c => serverChannel.TrySetResult(c);
        channelsServer.TextReceived += (c, _) =>
        {
            Interlocked.Increment(ref atServer);
            c.SendText("ack"); // reply from the receive thread, as a realtime session does
        };
        channelsClient.TextReceived += (_, _) => Interlocked.Increment(ref atClient);

        using (client)
        using (server)
        {
            client.Start();
            await Task.WhenAll(client.Connected, server.Connected).WaitAsync(TimeSpan.FromSeconds(20));
            sctpClient.Connect();
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            channelsClient.ChannelOpened += _ => opened.TrySetResult();
            DataChannel? channel = null;
            for (int i = 0; i < 100 && channel is null; i++)
            {
                await Task.Delay(20);
                channel = sctpClient.State == SctpState.Established ? channelsClient.Open("oai-events") : null;
            }

            Assert.NotNull(channel);
            await opened.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var fromServer = await serverChannel.Task.WaitAsync(TimeSpan.FromSeconds(20));

            const int perThread = 500;
            var senders = new[]
            {
                Task.Run(() => { for (int i = 0; i < perThread; i++) { Assert.True(channel!.SendText("c1-" + i)); } }),
                Task.Run(() => { for (int i = 0; i < perThread; i++) { Assert.True(channel!.SendText("c2-" + i)); } }),
                Task.Run(() => { for (int i = 0; i < perThread; i++) { Assert.True(fromServer.SendText("s-" + i)); } }),
            };
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((Volatile.Read(ref atServer) < 2 * perThread || Volatile.Read(ref atClient) < 3 * perThread) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
                sctpClient.HandleTimers();
                sctpServer.HandleTimers();
            }

            Assert.Equal(2 * perThread, atServer);
            Assert.Equal(3 * perThread, atClient); // 500 from the server thread + 1000 acks
        }
    }
}
