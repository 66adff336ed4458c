using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class DestinationHostNotFoundCheckerTests
{
    private static readonly DestinationHostNotFoundChecker Checker = new();

    [Fact]
    public void Check_ReportsARouteToAMissingService()
    {
        var f = Single(Checker, WithVs("""{"hosts": ["x"], "http": [{"route": [{"destination": {"host": "nope"}}]}]}"""));

        Assert.Equal("spec.http[0].route[0].destination.host", f.Field);
    }

    [Fact]
    public void Check_IgnoresHostsOutsideTheCluster()
    {
        None(Checker, WithVs("""{"hosts": ["x"], "http": [{"route": [{"destination": {"host": "api.example.com"}}]}]}"""));
    }
}
