using System.Reflection;

namespace MediaServer.Tests;

/// <summary>Pins the assembly reference table of ARCHITECTURE.md: one direction of dependency.</summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string, string[]> AllowedReferences => new()
    {
        { "MediaServer.Pipeline", [] },
        { "MediaServer.Rtc", [] },
        { "MediaServer.Signaling", ["MediaServer.Pipeline", "MediaServer.Rtc"] },
        { "MediaServer.SipBridge", ["MediaServer.Rtc", "MediaServer.Signaling"] },
        { "MediaServer", ["MediaServer.Pipeline", "MediaServer.Rtc", "MediaServer.Signaling", "MediaServer.SipBridge"] },
    };

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public void Assembly_references_only_what_the_architecture_allows(string assembly, string[] allowed)
    {
        var loaded = Assembly.Load(assembly);
        var ours = loaded.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n == "MediaServer" || n.StartsWith("MediaServer.", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Subset(allowed.ToHashSet(), ours);
    }

    [Fact]
    public void Pipeline_and_Rtc_know_nothing_of_each_other_or_of_AspNetCore()
    {
        foreach (var name in new[] { "MediaServer.Pipeline", "MediaServer.Rtc" })
        {
            var refs = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
            Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
            Assert.DoesNotContain(refs, r => r.StartsWith("MediaServer", StringComparison.Ordinal));
        }
    }
}
