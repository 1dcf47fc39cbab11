namespace MediaServer.SipBridge.Tests;

/// <summary>This suite's files in the checkout: the RFC 4475 torture messages and the SIPp scenarios.</summary>
internal static class SipTestData
{
    public static string Rfc4475 => Path.Combine(TestPaths.RepositoryRoot, "tests", "TestVectors", "rfc4475");

    /// <summary>The SIPp scenario <paramref name="name"/> (for <see cref="SippRunner"/>).</summary>
    public static string Scenario(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "SipBridge.Tests", "Sipp", "Scenarios", name);
}
