using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class GatewayServerIncompleteCheckerTests
{
    private static readonly GatewayServerIncompleteChecker Checker = new();

    [Fact]
    public void Check_ReportsGatewayServersWithoutPortOrHosts()
    {
        // The blog example's shape: hosts beside servers and a capitalised Port.
        var snapshot = Snapshot(
            Gateway("myapp", "blog", """{"selector": {"istio": "ingressgateway"}, "servers": [{"Port": {"number": 80}}], "hosts": ["myapp.example.com"]}"""),
            Gateway("myapp", "empty", """{"selector": {"istio": "ingressgateway"}}"""));

        var findings = Run(Checker, snapshot).Select(f => (f.Object.Name, f.Field)).ToList();

        Assert.Equal([("blog", "spec.servers[0].port"), ("blog", "spec.servers[0].hosts"), ("empty", "spec.servers")], findings);
    }

    [Fact]
    public void Check_AcceptsTheDemoGateway()
    {
        None(Checker, MyAppDemo());
    }
}
