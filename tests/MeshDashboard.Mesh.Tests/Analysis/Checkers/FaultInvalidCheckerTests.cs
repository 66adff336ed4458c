using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class FaultInvalidCheckerTests
{
    private static readonly FaultInvalidChecker Checker = new();

    private static string WithFault(string fault) =>
        """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "fault": """ + fault + "}]}";

    [Fact]
    public void Check_ReportsFaultPercentagesAndStatusOutOfRange()
    {
        var vs = WithFault("""{"abort": {"httpStatus": 700, "percentage": {"value": 150}}, "delay": {"fixedDelay": "1s", "percentage": {"value": 0.00001}}}""");

        var fields = Run(Checker, Bookinfo(vs)).Select(f => f.Field).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["spec.http[0].fault.abort.httpStatus", "spec.http[0].fault.abort.percentage.value", "spec.http[0].fault.delay.percentage.value"], fields);
    }

    /// <summary>istio/istio pkg/config/validation/validation.go, validateHTTPStatus: status &lt; 200 || status &gt; 600 is refused.</summary>
    [Theory]
    [InlineData(199, true)]
    [InlineData(200, false)]
    [InlineData(600, false)]
    [InlineData(601, true)]
    public void Check_ReportsAbortStatusesIstiodRefuses(int status, bool reported)
    {
        var findings = Run(Checker, Bookinfo(WithFault("""{"abort": {"httpStatus": """ + status + """, "percentage": {"value": 10}}}""")));

        Assert.Equal(reported, findings.Any(f => f.Field == "spec.http[0].fault.abort.httpStatus"));
    }

    [Fact]
    public void Check_ReportsAFaultWithoutPercentage()
    {
        var f = Single(Checker, Bookinfo(WithFault("""{"abort": {"httpStatus": 503}}""")));

        Assert.Equal(FindingSeverity.Info, f.Severity);
        Assert.Equal("spec.http[0].fault.abort", f.Field);
        Assert.Contains("affects no request", f.Message, StringComparison.Ordinal);
    }

    /// <summary>istiod accepts an abort without a status but warns "abort configured, but error type not set".</summary>
    [Fact]
    public void Check_WarnsOfAnAbortWithoutAStatus()
    {
        var f = Single(Checker, Bookinfo(WithFault("""{"abort": {"percentage": {"value": 10}}}""")));

        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal("spec.http[0].fault.abort", f.Field);
        Assert.Contains("without a status", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReportsADelayWithoutAFixedDelay_AsInfo()
    {
        var f = Single(Checker, Bookinfo(WithFault("""{"delay": {"percentage": {"value": 10}}}""")));

        Assert.Equal(FindingSeverity.Info, f.Severity);
        Assert.Equal("spec.http[0].fault.delay", f.Field);
    }

    [Fact]
    public void Check_TakesTheDeprecatedDelayPercentAsAPercentage()
    {
        None(Checker, Bookinfo(WithFault("""{"delay": {"fixedDelay": "5s", "percent": 50}}""")));
        Assert.Equal("spec.http[0].fault.delay.percent", Single(Checker, Bookinfo(WithFault("""{"delay": {"fixedDelay": "5s", "percent": 150}}"""))).Field);
    }
}
