using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class WeightsNotHundredCheckerTests
{
    private static readonly WeightsNotHundredChecker Checker = new();

    [Fact]
    public void Check_ShowsWeightsNotTotalling100AsPercentages()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"name": "split", "route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 1}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 3}]}]}""";

        var f = Single(Checker, Bookinfo(vs));

        Assert.Equal(FindingSeverity.Info, f.Severity);
        Assert.Equal("spec.http[0].route", f.Field);
        Assert.Contains("25% v1, 75% v2", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IsSilentForWeightsTotalling100()
    {
        None(Checker, MyAppDemo());
    }
}
