using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.Analysis.Checkers.Checks;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

public class DeprecatedFieldCheckerTests
{
    private static readonly DeprecatedFieldChecker Checker = new();

    private const string Dr = """
        {"host": "reviews", "trafficPolicy": {"loadBalancer": {"simple": "LEAST_CONN"}},
         "subsets": [{"name": "v1", "labels": {"version": "v1"}, "trafficPolicy": {"outlierDetection": {"consecutiveErrors": 5}}}]}
        """;

    private const string Vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "fault": {"delay": {"fixedDelay": "5s", "percent": 50}}}]}""";

    [Fact]
    public void Check_ReportsDeprecatedFields()
    {
        var fields = Run(Checker, Bookinfo(Vs, Dr)).Select(f => f.Field).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["spec.http[0].fault.delay.percent", "spec.subsets[0].trafficPolicy.outlierDetection.consecutiveErrors", "spec.trafficPolicy.loadBalancer.simple"], fields);
    }

    [Fact]
    public void Check_SaysWhatEachFieldMeansFromTheMigrationTable()
    {
        // The hint and the migration (DeprecatedFields) must say the same: consecutiveErrors counts gateway errors only.
        var findings = Run(Checker, Bookinfo(Vs, Dr));

        foreach (var entry in DeprecatedFields.All)
        {
            Assert.Contains(findings, f => f.Message.Contains(entry.Meaning, StringComparison.Ordinal) && f.Message.Contains(entry.WrittenAs, StringComparison.Ordinal));
        }
        Assert.Contains(findings, f => f.Message.Contains("502, 503, 504", StringComparison.Ordinal) && f.Message.Contains("consecutive5xxErrors: 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_LooksIntoPortLevelSettings()
    {
        var dr = """{"host": "reviews", "trafficPolicy": {"portLevelSettings": [{"port": {"number": 9080}, "outlierDetection": {"consecutiveErrors": 3}}]}}""";

        var f = Single(Checker, Bookinfo(vs: null, dr: dr));

        Assert.Equal("spec.trafficPolicy.portLevelSettings[0].outlierDetection.consecutiveErrors", f.Field);
    }
}
