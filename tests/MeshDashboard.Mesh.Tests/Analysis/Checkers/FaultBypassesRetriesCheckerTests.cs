using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class FaultBypassesRetriesCheckerTests
{
    private static readonly FaultBypassesRetriesChecker Checker = new();

    private static string Rule(string extra) =>
        """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], """ + extra + "}]}";

    [Fact]
    public void Check_SaysRetriesNeverRetryAnInjectedAbort()
    {
        var f = Single(Checker, Bookinfo(Rule("""
            "fault": {"abort": {"httpStatus": 503, "percentage": {"value": 50}}}, "retries": {"attempts": 3, "retryOn": "5xx"}
            """)));

        Assert.Equal("spec.http[0].retries", f.Field);
        Assert.Contains("never retried", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SaysATimeoutDoesNotCutAnInjectedDelay()
    {
        var f = Single(Checker, Bookinfo(Rule("""
            "fault": {"delay": {"fixedDelay": "7s", "percentage": {"value": 100}}}, "timeout": "1s", "retries": {"attempts": 2}
            """)));

        Assert.Equal("spec.http[0].timeout", f.Field);
    }

    [Fact]
    public void Check_IsSilentWithoutRetriesOrFaultsThatAffectNoRequest()
    {
        None(Checker, Bookinfo());
        None(Checker, Bookinfo(Rule("""
            "fault": {"abort": {"httpStatus": 503, "percentage": {"value": 50}}}, "retries": {"attempts": 0}
            """)));
        None(Checker, Bookinfo(Rule("""
            "fault": {"abort": {"httpStatus": 503}, "delay": {"fixedDelay": "1s", "percentage": {"value": 0}}}, "retries": {"attempts": 3}, "timeout": "2s"
            """)));
    }
}
