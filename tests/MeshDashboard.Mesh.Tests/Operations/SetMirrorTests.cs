using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetMirrorTests
{
    private const string DefaultOnly = """
        {"hosts": ["reviews"], "http": [{"name": "default", "route": [{"destination": {"host": "reviews", "subset": "v1"}}], "timeout": "5s"}]}
        """;

    private const string FqdnRoute = """
        {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews.bookinfo.svc.cluster.local", "subset": "v1"}}]}]}
        """;

    private const string MirrorsList = """
        {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
          "mirrors": [
            {"destination": {"host": "audit"}, "percentage": {"value": 1}},
            {"destination": {"host": "reviews", "subset": "v2", "port": {"number": 9080}}, "percentage": {"value": 10}},
            {"destination": {"host": "reviews", "subset": "v3"}}]}]}
        """;

    [Fact]
    public void SetMirror_WritesMirrorAndPercentage_InTheRouteHostSpelling()
    {
        var plan = new SetMirror(Reviews, "default", new MirrorSettings("v2", 10)).Plan(Bookinfo(DefaultOnly));

        var rule = plan.Single().After.At("spec.http[0]")!;
        Assert.Equal("""{"host":"reviews","subset":"v2"}""", rule["mirror"].Json());
        Assert.Equal("""{"value":10}""", rule["mirrorPercentage"].Json());
        Assert.Equal("5s", rule["timeout"]!.GetValue<string>());
        Assert.Equal("reviews: mirror 10% of default to v2", plan.Summary);

        var fqdn = new SetMirror(Reviews, "rule 1", new MirrorSettings("v2", 100)).Plan(Bookinfo(FqdnRoute)).Single().After.At("spec.http[0].mirror.host")!;
        Assert.Equal("reviews.bookinfo.svc.cluster.local", fqdn.GetValue<string>());
    }

    [Fact]
    public void SetMirror_ChangesOnlyTheSubset_OfAMirrorOfThisService()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "mirror": {"host": "reviews.bookinfo.svc.cluster.local", "subset": "v2", "port": {"number": 9080}}, "mirrorPercentage": {"value": 50}}]}
            """;

        var change = new SetMirror(Reviews, "rule 1", new MirrorSettings("v3", 50)).Plan(Bookinfo(vs)).Single();

        Assert.Equal(["spec.http[0].mirror.subset"], JsonDiff.Paths(change.Before!.Raw, change.After));
    }

    [Fact]
    public void SetMirror_MigratesTheDeprecatedMirrorPercent()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "mirror": {"host": "reviews", "subset": "v2"}, "mirrorPercent": 20}]}
            """;

        var rule = new SetMirror(Reviews, "rule 1", new MirrorSettings("v2", 20)).Plan(Bookinfo(vs)).Single().After.At("spec.http[0]")!;

        Assert.Null(rule["mirrorPercent"]);
        Assert.Equal(20, rule.At("mirrorPercentage.value")!.GetValue<double>());
    }

    [Fact]
    public void SetMirror_ReplacesAMirrorOfAnotherHost_TheSingleFieldHoldsOne()
    {
        // The tester rule of the test mesh mirrors to reviews-shadow.
        var rule = new SetMirror(Reviews, "tester", new MirrorSettings("v3", 5)).Plan(Bookinfo()).Single().After.At("spec.http[0]")!;

        Assert.Equal("""{"host":"reviews","subset":"v3"}""", rule["mirror"].Json());
        Assert.Equal(5, rule.At("mirrorPercentage.value")!.GetValue<double>());
        Assert.NotNull(rule["fault"]);
    }

    [Fact]
    public void SetMirror_TheSameMirrorChangesNothing()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "mirror": {"host": "reviews", "subset": "v2"}, "mirrorPercentage": {"value": 100.0}}]}
            """;

        Assert.Empty(new SetMirror(Reviews, "rule 1", new MirrorSettings("v2", 100)).Plan(Bookinfo(vs)).Changes);
    }

    [Fact]
    public void SetMirror_EditsTheMirrorsListWhenTheRuleUsesIt()
    {
        var rule = new SetMirror(Reviews, "rule 1", new MirrorSettings("v3", 25)).Plan(Bookinfo(MirrorsList)).Single().After.At("spec.http[0]")!;

        // The audit mirror (another host) stays; this service keeps one entry, the v3 one, now at 25%.
        Assert.Equal(
            """[{"destination":{"host":"audit"},"percentage":{"value":1}},{"destination":{"host":"reviews","subset":"v3"},"percentage":{"value":25}}]""",
            rule["mirrors"].Json());
        Assert.Null(rule["mirror"]);
    }

    [Fact]
    public void SetMirror_InTheMirrorsList_KeepsTheEntrysHostAndPort()
    {
        var rule = new SetMirror(Reviews, "rule 1", new MirrorSettings("v1", 10)).Plan(Bookinfo(MirrorsList)).Single().After.At("spec.http[0]")!;

        Assert.Equal("""{"destination":{"host":"reviews","subset":"v1","port":{"number":9080}},"percentage":{"value":10}}""", rule.At("mirrors[1]").Json());
        Assert.Equal(2, rule["mirrors"]!.AsArray().Count);
    }

    [Fact]
    public void SetMirror_AppendsToAMirrorsListWithoutThisService()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "mirrors": [{"destination": {"host": "audit"}}]}]}
            """;

        var rule = new SetMirror(Reviews, "rule 1", new MirrorSettings("v2", 50)).Plan(Bookinfo(vs)).Single().After.At("spec.http[0]")!;

        Assert.Equal("""[{"destination":{"host":"audit"}},{"destination":{"host":"reviews","subset":"v2"},"percentage":{"value":50}}]""", rule["mirrors"].Json());
    }

    [Fact]
    public void SetMirror_NullRemovesEveryMirrorField()
    {
        var plan = new SetMirror(Reviews, "tester", null).Plan(Bookinfo());
        var rule = plan.Single().After.At("spec.http[0]")!;
        Assert.Null(rule["mirror"]);
        Assert.NotNull(rule["fault"]);
        Assert.Equal("reviews: mirroring removed from tester", plan.Summary);

        var list = new SetMirror(Reviews, "rule 1", null).Plan(Bookinfo(MirrorsList)).Single().After.At("spec.http[0]")!;
        Assert.Null(list["mirrors"]);
    }

    [Fact]
    public void SetMirror_RefusesARuleWithMirrorAndMirrors_AsIstiodDoes()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "mirror": {"host": "reviews", "subset": "v2"}, "mirrors": [{"destination": {"host": "reviews", "subset": "v3"}}]}]}
            """;

        FailsOn(new SetMirror(Reviews, "rule 1", new MirrorSettings("v2", 10)), Bookinfo(vs), "rule", "both mirror and mirrors");
    }

    [Fact]
    public void SetMirror_RefusesASubsetNoDestinationRuleDefines()
    {
        FailsOn(new SetMirror(Reviews, "default", new MirrorSettings("v9", 10)), Bookinfo(), "subset", "not defined");
        FailsOn(new SetMirror(Reviews, "default", new MirrorSettings("", 10)), Bookinfo(), "subset", "required");
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void SetMirror_RefusesPercentagesOutside0To100(double percent)
    {
        FailsOn(new SetMirror(Reviews, "default", new MirrorSettings("v2", percent)), Bookinfo(), "percent", "0 to 100");
    }

    /// <summary>istiod accepts mirrorPercentage 0 and shares below 0.0001 (only &lt; 0 and &gt; 100 are refused for mirrors).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(0.00001)]
    [InlineData(100)]
    public void SetMirror_AcceptsTheSharesIstiodAccepts(double percent)
    {
        var errors = new List<FieldError>();

        SetMirror.Validate(new MirrorSettings("v2", percent), new HashSet<string> { "v2" }, errors);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(100)]
    public void SetMirror_AcceptsPercentagesAtTheEdges(double percent)
    {
        Assert.Single(new SetMirror(Reviews, "default", new MirrorSettings("v2", percent)).Plan(Bookinfo()).Changes);
    }

    [Fact]
    public void SetMirror_WithAStaleOrigin_IsAConflict()
    {
        var snapshot = Bookinfo();
        var fingerprint = VirtualServiceView.From(snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!).Http[0].Fingerprint;

        var error = Assert.Throws<OperationException>(() => new SetMirror(Reviews, "", new MirrorSettings("v2", 10)) { Origin = new RuleOrigin(2, fingerprint) }.Plan(snapshot));

        Assert.True(error.IsConflict);
    }
}
