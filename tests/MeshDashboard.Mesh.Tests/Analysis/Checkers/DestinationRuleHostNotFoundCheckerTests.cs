using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class DestinationRuleHostNotFoundCheckerTests
{
    private static readonly DestinationRuleHostNotFoundChecker Checker = new();

    [Fact]
    public void Check_ReportsADestinationRuleForAMissingServiceButNotExternalHosts()
    {
        var snapshot = Bookinfo()
            .With(TestMesh.Dr("bookinfo", "ghost", """{"host": "ghost"}"""))
            .With(TestMesh.Dr("bookinfo", "external", """{"host": "api.example.com"}"""));

        var f = Single(Checker, snapshot);

        Assert.Equal(new ObjectRef(ResourceKind.DestinationRule, "bookinfo", "ghost"), f.Object);
        Assert.Equal("spec.host", f.Field);
    }
}
