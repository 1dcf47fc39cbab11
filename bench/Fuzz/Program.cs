using System.Globalization;
using MediaServer.Fuzz;

// Usage: MediaServer.Fuzz [target|all] [iterations=1000000] [seed=1]
// Exit code 1 when any target crashed. Targets are every IFuzzTarget in this assembly.
var targets = typeof(Program).Assembly.GetTypes()
    .Where(t => typeof(IFuzzTarget).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (IFuzzTarget)Activator.CreateInstance(t)!)
    .OrderBy(t => t.Name, StringComparer.Ordinal)
    .ToList();
string which = args.Length > 0 ? args[0] : "all";
long iterations = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
int failed = 0;
foreach (var target in targets.Where(t => which == "all" || t.Name == which))
{
    var result = new FuzzRunner(target, seed).Run(iterations);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{result.Target,-12} {result.Iterations,10} inputs  {result.Crashes} crashes  {result.Elapsed.TotalSeconds:F1} s  {result.FirstCrash}"));
    if (result.Crashes > 0)
    {
        failed++;
    }
}

return failed == 0 ? 0 : 1;
