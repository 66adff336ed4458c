using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class GatewayNotFoundCheckerTests
{
    private static readonly GatewayNotFoundChecker Checker = new();

    [Fact]
    public void Check_ReportsAMissingGatewayButNotMesh()
    {
        var snapshot = MyAppDemo().With(Vs("myapp", "broken", """{"hosts": ["x.example.com"], "gateways": ["mesh", "myapp-gateway", "istio-system/missing"], "http": [{"route": [{"destination": {"host": "myapp", "subset": "v1"}}]}]}"""));

        var f = Single(Checker, snapshot);

        Assert.Equal("spec.gateways[2]", f.Field);
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Contains("istio-system/missing", f.Message, StringComparison.Ordinal);
    }
}
