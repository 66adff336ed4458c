using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis;

public class MeshAnalyzerTests
{
    private static Finding Single(MeshSnapshot snapshot, string code) => Assert.Single(MeshAnalyzer.Analyze(snapshot), f => f.Code == code);

    private static void None(MeshSnapshot snapshot, string code) => Assert.DoesNotContain(MeshAnalyzer.Analyze(snapshot), f => f.Code == code);

    private static MeshSnapshot WithVs(string spec, string name = "extra") => Bookinfo().With(Vs("bookinfo", name, spec));

    [Fact]
    public void Analyze_FindsOnlyTheDeprecatedFieldInTheBlueGreenDemo()
    {
        var codes = MeshAnalyzer.Analyze(MyAppDemo()).Select(f => f.Code).ToList();

        Assert.Equal([FindingCodes.DeprecatedField], codes);
    }

    [Fact]
    public void Analyze_MD001_ReportsARouteToAMissingService()
    {
        var f = Single(WithVs("""{"hosts": ["x"], "http": [{"route": [{"destination": {"host": "nope"}}]}]}"""), "MD001");

        Assert.Equal("spec.http[0].route[0].destination.host", f.Field);
    }

    [Fact]
    public void Analyze_MD002_ReportsARouteToAnUndefinedSubset()
    {
        var f = Single(WithVs("""{"hosts": ["x"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v9"}}]}]}"""), "MD002");

        Assert.Equal(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "extra"), f.Object);
        Assert.Equal("spec.http[0].route[0].destination.subset", f.Field);
    }

    [Fact]
    public void Analyze_MD003_ReportsASubsetThatSelectsNoPods()
    {
        var dr = """{"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v4", "labels": {"version": "v4"}}]}""";

        var f = Single(Bookinfo(vs: null, dr: dr), "MD003");

        Assert.Equal("spec.subsets[1].labels", f.Field);
    }

    [Fact]
    public void Analyze_MD004_ReportsAMissingGatewayButNotMesh()
    {
        var snapshot = MyAppDemo().With(Vs("myapp", "broken", """{"hosts": ["x.example.com"], "gateways": ["mesh", "myapp-gateway", "istio-system/missing"], "http": [{"route": [{"destination": {"host": "myapp", "subset": "v1"}}]}]}"""));

        var f = Single(snapshot, "MD004");

        Assert.Equal("spec.gateways[2]", f.Field);
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Contains("istio-system/missing", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MD005_ReportsTwoVirtualServicesForOneHost()
    {
        var snapshot = WithVs("""{"hosts": ["reviews.bookinfo.svc.cluster.local"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""");

        var findings = MeshAnalyzer.Analyze(snapshot).Where(f => f.Code == "MD005").ToList();

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("spec.hosts[0]", f.Field));
        Assert.Contains("extra, reviews", findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MD005_IgnoresVirtualServicesOnDifferentGateways()
    {
        None(WithVs("""{"hosts": ["reviews"], "gateways": ["edge"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}"""
            .Replace("\"edge\"", "\"bookinfo/edge\"", StringComparison.Ordinal)), "MD005");
    }

    [Fact]
    public void Analyze_MD006_ReportsARuleAfterACatchAll()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [
              {"name": "all", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]},
              {"name": "tester", "match": [{"headers": {"end-user": {"exact": "tester"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]}
            """;

        var f = Single(Bookinfo(vs), "MD006");

        Assert.Equal("spec.http[1]", f.Field);
        Assert.Contains("\"all\"", f.Message, StringComparison.Ordinal);
        None(Bookinfo(), "MD006");
    }

    [Fact]
    public void Analyze_MD007_ReportsANegativeWeight()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": -10}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 110}]}]}""";

        var f = Single(Bookinfo(vs), "MD007");

        Assert.Equal("spec.http[0].route[0].weight", f.Field);
    }

    [Fact]
    public void Analyze_MD007_ReportsSeveralDestinationsSummingToZero()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 0}]}]}""";

        var f = Single(Bookinfo(vs), "MD007");

        Assert.Equal("spec.http[0].route", f.Field);
    }

    [Fact]
    public void Analyze_MD008_ShowsWeightsNotTotalling100AsPercentages()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"name": "split", "route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 1}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 3}]}]}""";

        var f = Single(Bookinfo(vs), "MD008");

        Assert.Equal(FindingSeverity.Info, f.Severity);
        Assert.Equal("spec.http[0].route", f.Field);
        Assert.Contains("25% v1, 75% v2", f.Message, StringComparison.Ordinal);
        None(MyAppDemo(), "MD008");
    }

    [Fact]
    public void Analyze_MD009_ReportsFaultPercentagesAndStatusOutOfRange()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "fault": {"abort": {"httpStatus": 700, "percentage": {"value": 150}}, "delay": {"fixedDelay": "1s", "percentage": {"value": 0.00001}}}}]}
            """;

        var fields = MeshAnalyzer.Analyze(Bookinfo(vs)).Where(f => f.Code == "MD009").Select(f => f.Field).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["spec.http[0].fault.abort.httpStatus", "spec.http[0].fault.abort.percentage.value", "spec.http[0].fault.delay.percentage.value"], fields);
    }

    [Fact]
    public void Analyze_MD009_ReportsAFaultWithoutPercentage()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "fault": {"abort": {"httpStatus": 503}}}]}""";

        var f = Single(Bookinfo(vs), "MD009");

        Assert.Equal(FindingSeverity.Info, f.Severity);
        Assert.Equal("spec.http[0].fault.abort", f.Field);
        Assert.Contains("affects no request", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MD010_ReportsDeprecatedFields()
    {
        var dr = """
            {"host": "reviews", "trafficPolicy": {"loadBalancer": {"simple": "LEAST_CONN"}},
             "subsets": [{"name": "v1", "labels": {"version": "v1"}, "trafficPolicy": {"outlierDetection": {"consecutiveErrors": 5}}}]}
            """;
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "fault": {"delay": {"fixedDelay": "5s", "percent": 50}}}]}""";

        var fields = MeshAnalyzer.Analyze(Bookinfo(vs, dr)).Where(f => f.Code == "MD010").Select(f => f.Field).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["spec.http[0].fault.delay.percent", "spec.subsets[0].trafficPolicy.outlierDetection.consecutiveErrors", "spec.trafficPolicy.loadBalancer.simple"], fields);
        None(Bookinfo(vs, dr), "MD009");
    }

    [Fact]
    public void Analyze_MD011_ReportsADestinationRuleForAMissingService()
    {
        var snapshot = Bookinfo()
            .With(Dr("bookinfo", "ghost", """{"host": "ghost"}"""))
            .With(Dr("bookinfo", "external", """{"host": "api.example.com"}"""));

        var f = Single(snapshot, "MD011");

        Assert.Equal(new ObjectRef(ResourceKind.DestinationRule, "bookinfo", "ghost"), f.Object);
        Assert.Equal("spec.host", f.Field);
    }

    [Fact]
    public void Analyze_MD012_ReportsGatewayServersWithoutPortOrHosts()
    {
        // The blog example's shape: hosts beside servers and a capitalised Port.
        var snapshot = Snapshot(
            Gateway("myapp", "blog", """{"selector": {"istio": "ingressgateway"}, "servers": [{"Port": {"number": 80}}], "hosts": ["myapp.example.com"]}"""),
            Gateway("myapp", "empty", """{"selector": {"istio": "ingressgateway"}}"""));

        var findings = MeshAnalyzer.Analyze(snapshot).Where(f => f.Code == "MD012").Select(f => (f.Object.Name, f.Field)).ToList();

        Assert.Equal([("blog", "spec.servers[0].port"), ("blog", "spec.servers[0].hosts"), ("empty", "spec.servers")], findings);
    }

    [Fact]
    public void Analyze_MD013_ReportsResourcesManagedByFlagger()
    {
        var snapshot = Bookinfo().With(Vs("bookinfo", "reviews", ReviewsVs,
            """{"ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "reviews"}]}"""));

        var f = Single(snapshot, "MD013");

        Assert.Equal(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "reviews"), f.Object);
        Assert.Contains("Flagger", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindingCodes_StayStable()
    {
        Assert.Equal(
            ["MD001", "MD002", "MD003", "MD004", "MD005", "MD006", "MD007", "MD008", "MD009", "MD010", "MD011", "MD012", "MD013"],
            [FindingCodes.DestinationHostNotFound, FindingCodes.SubsetNotDefined, FindingCodes.SubsetSelectsNoPods, FindingCodes.GatewayNotFound,
             FindingCodes.DuplicateHost, FindingCodes.UnreachableRule, FindingCodes.InvalidWeights, FindingCodes.WeightsNotHundred, FindingCodes.FaultInvalid,
             FindingCodes.DeprecatedField, FindingCodes.DestinationRuleHostNotFound, FindingCodes.GatewayServerIncomplete, FindingCodes.ManagedByController]);
    }
}
