using MeshDashboard.Mesh.Analysis.Checkers;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class MirrorWithoutReadyPodsCheckerTests
{
    private static readonly MirrorWithoutReadyPodsChecker Checker = new();

    private static string Mirror(string mirror) =>
        """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], """ + mirror + "}]}";

    [Fact]
    public void Check_ReportsAMirrorToASubsetWithoutReadyPods()
    {
        var snapshot = Bookinfo(Mirror("""
            "mirror": {"host": "reviews", "subset": "v4"}
            """), ReviewsDr.Replace("""{"name": "v3", "labels": {"version": "v3"}}""", """{"name": "v3", "labels": {"version": "v3"}}, {"name": "v4", "labels": {"version": "v4"}}""", StringComparison.Ordinal))
            .With(Pod("bookinfo", "reviews", "v4", ready: false));

        var f = Single(Checker, snapshot);

        Assert.Equal("spec.http[0].mirror", f.Field);
        Assert.Contains("0 of 1 pods ready", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReportsAMirrorToAMissingServiceOrUndefinedSubset()
    {
        // The fixture's own mirror, reviews-shadow, is no Service.
        Assert.Contains("no such Service", Single(Checker, Bookinfo()).Message, StringComparison.Ordinal);

        var f = Single(Checker, Bookinfo(Mirror("""
            "mirrors": [{"destination": {"host": "reviews", "subset": "v2"}}, {"destination": {"host": "reviews", "subset": "v9"}, "percentage": {"value": 5}}]
            """)));

        Assert.Equal("spec.http[0].mirrors[1].destination", f.Field);
        Assert.Contains("no DestinationRule defines", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IsSilentForReadyPodsExternalHostsAndMirroringOff()
    {
        None(Checker, Bookinfo(Mirror("""
            "mirror": {"host": "reviews", "subset": "v3"}
            """)));
        None(Checker, Bookinfo(Mirror("""
            "mirror": {"host": "shadow.example.com"}
            """)));
        None(Checker, Bookinfo(Mirror("""
            "mirror": {"host": "reviews", "subset": "v9"}, "mirrorPercentage": {"value": 0}
            """)));
    }
}
