using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class SubsetNotDefinedCheckerTests
{
    private static readonly SubsetNotDefinedChecker Checker = new();

    [Fact]
    public void Check_ReportsARouteToAnUndefinedSubset()
    {
        var f = Single(Checker, WithVs("""{"hosts": ["x"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v9"}}]}]}"""));

        Assert.Equal(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "extra"), f.Object);
        Assert.Equal("spec.http[0].route[0].destination.subset", f.Field);
    }

    [Fact]
    public void Check_AcceptsSubsetsTheDestinationRuleDefines()
    {
        None(Checker, Bookinfo());
    }
}
