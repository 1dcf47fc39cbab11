if (args.Length > 0 && args[0] == "bargein-latency")
{
    MediaServer.Benchmarks.Pipeline.BargeInLatencyDriver.Run(args[1..]);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
