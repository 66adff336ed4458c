using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class InvalidWeightsCheckerTests
{
    private static readonly InvalidWeightsChecker Checker = new();

    [Fact]
    public void Check_ReportsANegativeWeight()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": -10}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 110}]}]}""";

        var f = Single(Checker, Bookinfo(vs));

        Assert.Equal("spec.http[0].route[0].weight", f.Field);
    }

    [Fact]
    public void Check_ReportsSeveralDestinationsSummingToZero()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 0}]}]}""";

        var f = Single(Checker, Bookinfo(vs));

        Assert.Equal("spec.http[0].route", f.Field);
    }

    [Fact]
    public void Check_AcceptsASingleDestinationWithoutWeight()
    {
        None(Checker, Bookinfo());
    }
}
