using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class ManagedByControllerCheckerTests
{
    private static readonly ManagedByControllerChecker Checker = new();

    [Fact]
    public void Check_ReportsResourcesManagedByFlagger()
    {
        var snapshot = Bookinfo().With(Vs("bookinfo", "reviews", ReviewsVs,
            """{"ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "reviews"}]}"""));

        var f = Single(Checker, snapshot);

        Assert.Equal(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "reviews"), f.Object);
        Assert.Contains("Flagger", f.Message, StringComparison.Ordinal);
    }
}
