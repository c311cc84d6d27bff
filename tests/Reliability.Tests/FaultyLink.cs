using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// A network link with faults, between a loopback port and the endpoint behind it: every byte that
/// crosses it, both ways, is delayed by <see cref="Delay"/>, a share <see cref="Loss"/> of segments is
/// "lost" and arrives a retransmission timeout later with everything behind it (what TCP makes of a
/// lost packet: the stream stalls, nothing is missing), and <see cref="Cut"/> stops all traffic while
/// connections stay open, as a pulled cable or a partition does.
/// </summary>
/// <remarks>
/// Written by hand because the kernel these tests run on has no <c>sch_netem</c> (`tc qdisc add ...
/// netem` answers "Specified qdisc kind is unknown"; only tbf, htb and pfifo exist), so delay and loss
/// cannot be put on an interface; a proxy on the silos' advertised ports puts them on the links
/// instead, at the level TCP shows them to Orleans. Losses are drawn from a seeded generator.
/// </remarks>
public sealed class FaultyLink : IAsyncDisposable
{
    /// <summary>What a lost segment costs: Linux's minimum retransmission timeout, doubled for each loss in a row.</summary>
    public static readonly TimeSpan RetransmissionTimeout = TimeSpan.FromMilliseconds(200);

    private readonly TcpListener _listener;
    private readonly EndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private long _segments, _lost;

    private FaultyLink(EndPoint target, int seed)
    {
        _target = target;
        _random = new Random(seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>A link from a new loopback port to <paramref name="target"/> (a TCP endpoint, or a Unix socket: PostgreSQL's).</summary>
    public static FaultyLink To(EndPoint target, int seed) => new(target, seed);

    /// <summary>The loopback port whose traffic crosses the link.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The port behind the link, where the silo listens (TCP targets).</summary>
    public int TargetPort => ((IPEndPoint)_target).Port;

    /// <summary>One-way delay added to every segment, each way.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Probability that a segment is lost (0 to 1).</summary>
    public double Loss { get; set; }

    /// <summary>No byte crosses while true; held ones go on when it is false again.</summary>
    public bool Cut { get => _cut; set => _cut = value; }

    /// <summary>(segments forwarded, segments lost) so far, both ways.</summary>
    public (long Segments, long Lost) Counts => (Interlocked.Read(ref _segments), Interlocked.Read(ref _lost));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inbound;
            try
            {
                inbound = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ConnectAsync(inbound);
        }
    }

    private async Task ConnectAsync(Socket inbound)
    {
        var outbound = new Socket(_target.AddressFamily, SocketType.Stream, _target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        lock (_sockets) _sockets.AddRange([inbound, outbound]);
        try
        {
            await outbound.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception)
        {
            inbound.Dispose();
            outbound.Dispose();
            return;
        }
        _ = PumpAsync(inbound, outbound);
        _ = PumpAsync(outbound, inbound);
    }

    /// <summary>Reads segments from <paramref name="from"/> and writes each to <paramref name="to"/> when its time has come, in order.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var queue = Channel.CreateUnbounded<(byte[] Bytes, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = WriteAsync(queue.Reader, to);
        var buffer = new byte[16 * 1024];
        long lastDue = 0;
        var lostInARow = 0;
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                var due = Stopwatch.GetTimestamp() + Ticks(Delay);
                bool lost;
                lock (_random) lost = _random.NextDouble() < Loss;
                if (lost)
                {
                    Interlocked.Increment(ref _lost);
                    due += Ticks(RetransmissionTimeout * (1 << Math.Min(lostInARow++, 5)));
                }
                else lostInARow = 0;
                Interlocked.Increment(ref _segments);
                // TCP delivers in order: nothing overtakes a segment held back.
                lastDue = Math.Max(due, lastDue);
                queue.Writer.TryWrite((buffer[..read], lastDue));
            }
        }
        catch (Exception)
        {
            // The peer closed or reset, or the link was disposed: the write side finishes what it holds.
        }
        queue.Writer.TryComplete();
        await writing;
    }

    private async Task WriteAsync(ChannelReader<(byte[] Bytes, long Due)> queue, Socket to)
    {
        try
        {
            await foreach (var (bytes, due) in queue.ReadAllAsync(_stop.Token))
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _stop.Token);
                while (_cut) await Task.Delay(20, _stop.Token);
                await to.SendAsync(bytes, SocketFlags.None, _stop.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            to.Dispose();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
