using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class TimeoutBelowRetriesCheckerTests
{
    private static readonly TimeoutBelowRetriesChecker Checker = new();

    private static string Rule(string timeout, string retries) =>
        """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "timeout": """ + timeout + """, "retries": """ + retries + "}]}";

    [Fact]
    public void Check_ReportsATimeoutShorterThanAllTries()
    {
        // attempts 3 = 3 retries after the first try: 4 tries of 2s need 8s.
        var f = Single(Checker, Bookinfo(Rule("\"5s\"", """{"attempts": 3, "perTryTimeout": "2s"}""")));

        Assert.Equal("spec.http[0].timeout", f.Field);
        Assert.Contains("up to 4 tries", f.Message, StringComparison.Ordinal);
        Assert.Contains("only 2 slow tries fit", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReportsATimeoutShorterThanOneTry()
    {
        var f = Single(Checker, Bookinfo(Rule("\"500ms\"", """{"attempts": 2, "perTryTimeout": "1s"}""")));

        Assert.Contains("before the first try times out", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"8s\"", """{"attempts": 3, "perTryTimeout": "2s"}""")]
    [InlineData("\"0s\"", """{"attempts": 3, "perTryTimeout": "2s"}""")]
    [InlineData("\"1s\"", """{"attempts": 3}""")]
    [InlineData("\"1s\"", """{"attempts": 0, "perTryTimeout": "2s"}""")]
    [InlineData("\"soon\"", """{"attempts": 3, "perTryTimeout": "2s"}""")]
    public void Check_IsSilentWhenAllTriesFitOrNothingIsBounded(string timeout, string retries)
    {
        None(Checker, Bookinfo(Rule(timeout, retries)));
    }

    [Fact]
    public void Check_IsSilentForTheFixture()
    {
        // 10s for 4 tries of 2s.
        None(Checker, Bookinfo());
    }
}
