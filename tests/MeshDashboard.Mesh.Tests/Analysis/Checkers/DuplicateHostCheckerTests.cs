using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class DuplicateHostCheckerTests
{
    private static readonly DuplicateHostChecker Checker = new();

    [Fact]
    public void Check_ReportsTwoVirtualServicesForOneHost()
    {
        var findings = Run(Checker, WithVs("""{"hosts": ["reviews.bookinfo.svc.cluster.local"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}"""));

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("spec.hosts[0]", f.Field));
        Assert.Contains("extra, reviews", findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IgnoresVirtualServicesOnDifferentGateways()
    {
        None(Checker, WithVs("""{"hosts": ["reviews"], "gateways": ["bookinfo/edge"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}"""));
    }
}
