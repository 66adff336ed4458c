using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class UppercaseHeaderNameCheckerTests
{
    private static readonly UppercaseHeaderNameChecker Checker = new();

    private static string Match(string match) =>
        """{"hosts": ["reviews"], "http": [{"match": [""" + match + """], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}, {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""";

    [Fact]
    public void Check_WarnsAboutUppercaseHeaderNamesIstiodAccepts()
    {
        var findings = Run(Checker, Bookinfo(Match("""{"headers": {"End-User": {"exact": "jason"}}}, {"withoutHeaders": {"X-Canary": {}}}""")));

        Assert.Equal(["spec.http[0].match[0].headers.End-User", "spec.http[0].match[1].withoutHeaders.X-Canary"], findings.Select(f => f.Field));
        Assert.All(findings, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Contains("\"end-user\"", findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IgnoresLowercaseNamesQueryParametersAndJwtClaims()
    {
        None(Checker, Bookinfo());
        None(Checker, Bookinfo(Match("""{"queryParams": {"Debug": {"exact": "1"}}, "headers": {"@request.auth.claims.Group": {"exact": "admin"}}}""")));
    }
}
