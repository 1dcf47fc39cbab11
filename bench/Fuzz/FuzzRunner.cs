using System.Diagnostics;

namespace MediaServer.Fuzz;

/// <summary>
/// Feeds a target random byte strings and mutations of its seeds (bit flips, byte overwrites, inserts,
/// deletions, truncations, splices of two seeds), deterministically from a seed, and counts any exception that
/// is not one of the target's expected ones as a crash.
/// </summary>
public sealed class FuzzRunner(IFuzzTarget target, int seed)
{
    private readonly Random _random = new(seed);
    private readonly byte[] _buffer = new byte[4096];

    public FuzzResult Run(long iterations)
    {
        var stopwatch = Stopwatch.StartNew();
        long crashes = 0;
        string? firstCrash = null;
        for (long i = 0; i < iterations; i++)
        {
            int length = NextInput();
            try
            {
                target.Run(_buffer.AsSpan(0, length));
            }
            catch (Exception ex) when (!IsExpected(ex))
            {
                crashes++;
                firstCrash ??= $"{ex.GetType().Name}: {ex.Message} on input {Convert.ToHexString(_buffer, 0, Math.Min(length, 64))}";
            }
        }

        return new FuzzResult(target.Name, iterations, crashes, firstCrash, stopwatch.Elapsed);
    }

    private bool IsExpected(Exception ex) => target.ExpectedExceptions.Any(t => t.IsInstanceOfType(ex));

    private int NextInput()
    {
        var seeds = target.Seeds;
        int mode = _random.Next(10);
        if (seeds.Count == 0 || mode == 0)
        {
            int n = _random.Next(_buffer.Length);
            _random.NextBytes(_buffer.AsSpan(0, n));
            return n;
        }

        byte[] seedBytes = seeds[_random.Next(seeds.Count)];
        int length = Math.Min(seedBytes.Length, _buffer.Length);
        seedBytes.AsSpan(0, length).CopyTo(_buffer);
        int mutations = 1 + _random.Next(8);
        for (int m = 0; m < mutations; m++)
        {
            length = Mutate(length, seeds);
        }

        return length;
    }

    private int Mutate(int length, IReadOnlyList<byte[]> seeds)
    {
        switch (_random.Next(7))
        {
            case 0 when length > 0:
                _buffer[_random.Next(length)] ^= (byte)(1 << _random.Next(8));
                return length;
            case 1 when length > 0:
                _buffer[_random.Next(length)] = (byte)_random.Next(256);
                return length;
            case 2 when length < _buffer.Length:
            {
                int at = _random.Next(length + 1);
                _buffer.AsSpan(at, length - at).CopyTo(_buffer.AsSpan(at + 1));
                _buffer[at] = (byte)_random.Next(256);
                return length + 1;
            }
            case 3 when length > 0:
            {
                int at = _random.Next(length);
                _buffer.AsSpan(at + 1, length - at - 1).CopyTo(_buffer.AsSpan(at));
                return length - 1;
            }
            case 4:
                return _random.Next(length + 1);
            case 5 when length > 0:
            {
                // Interesting values in a random place: lengths and counts are where parsers go wrong.
                byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE];
                _buffer[_random.Next(length)] = interesting[_random.Next(interesting.Length)];
                return length;
            }
            case 6:
            {
                byte[] other = seeds[_random.Next(seeds.Count)];
                int from = _random.Next(other.Length + 1);
                int at = _random.Next(length + 1);
                int n = Math.Min(other.Length - from, _buffer.Length - at);
                other.AsSpan(from, n).CopyTo(_buffer.AsSpan(at));
                return Math.Max(length, at + n);
            }
            default:
                return length;
        }
    }
}

/// <summary>The outcome of one fuzz run.</summary>
public sealed record FuzzResult(string Target, long Iterations, long Crashes, string? FirstCrash, TimeSpan Elapsed);
