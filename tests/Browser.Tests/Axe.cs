using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaServer.Browser.Tests;

/// <summary>Runs axe-core (WCAG 2.x A/AA and best-practice rules) on the page as it is now.</summary>
public static class Axe
{
    /// <summary>Fails with every serious or critical violation listed; reports the minor and moderate ones.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, ITestOutputHelper output, string state)
    {
        var result = await page.RunAxe();
        foreach (var v in result.Violations)
        {
            output.WriteLine($"[{state}] axe {v.Impact} {v.Id}: {v.Help} ({string.Join("; ", v.Nodes.Select(n => n.Html))})");
        }

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0,
            $"[{state}] axe found serious or critical violations:\n" + string.Join("\n", serious.Select(v =>
                $"{v.Impact} {v.Id}: {v.Help}\n  " + string.Join("\n  ", v.Nodes.Select(n => n.Html)))));
        Assert.True(result.Passes.Length > 10, $"[{state}] axe ran too few rules to be meaningful: {result.Passes.Length}");
    }
}
