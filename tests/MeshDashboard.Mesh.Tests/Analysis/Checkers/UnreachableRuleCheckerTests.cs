using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class UnreachableRuleCheckerTests
{
    private static readonly UnreachableRuleChecker Checker = new();

    [Fact]
    public void Check_ReportsARuleAfterACatchAll()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [
              {"name": "all", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]},
              {"name": "tester", "match": [{"headers": {"end-user": {"exact": "tester"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]}
            """;

        var f = Single(Checker, Bookinfo(vs));

        Assert.Equal("spec.http[1]", f.Field);
        Assert.Contains("\"all\"", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AcceptsACatchAllAtTheEnd()
    {
        None(Checker, Bookinfo());
    }
}
