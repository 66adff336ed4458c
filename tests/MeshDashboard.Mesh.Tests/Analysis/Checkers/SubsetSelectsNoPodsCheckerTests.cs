using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class SubsetSelectsNoPodsCheckerTests
{
    private static readonly SubsetSelectsNoPodsChecker Checker = new();

    [Fact]
    public void Check_ReportsASubsetThatSelectsNoPods()
    {
        var dr = """{"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v4", "labels": {"version": "v4"}}]}""";

        var f = Single(Checker, Bookinfo(vs: null, dr: dr));

        Assert.Equal("spec.subsets[1].labels", f.Field);
    }
}
