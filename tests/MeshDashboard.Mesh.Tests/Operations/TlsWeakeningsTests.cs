using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

/// <summary>TLS weakening is judged on the planned change (before → after), wherever in the DestinationRule it happens.</summary>
public class TlsWeakeningsTests
{
    private const string Mutual = """
        {"host": "reviews",
         "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}, "portLevelSettings": [{"port": {"number": 9080}, "tls": {"mode": "ISTIO_MUTUAL"}}]},
         "subsets": [{"name": "v1", "labels": {"version": "v1"}},
                     {"name": "v2", "labels": {"version": "v2"}, "trafficPolicy": {"tls": {"mode": "MUTUAL", "credentialName": "c"}}}]}
        """;

    /// <summary>JSON written with single quotes, so replacements read without escapes.</summary>
    private static string Q(string json) => json.Replace('\'', '"');

    private static IReadOnlyList<string> Change(string? before, string? after)
    {
        var from = before is null ? null : Dr("bookinfo", "reviews", before);
        var to = after is null ? null : (JsonObject)Dr("bookinfo", "reviews", after).Raw.DeepClone();
        return [.. TlsWeakenings.Of(new ObjectChange(new ObjectRef(ResourceKind.DestinationRule, "bookinfo", "reviews"), from, to)).Select(w => w.ToString())];
    }

    [Theory]
    // (before, after, weakened?) — mutual TLS is the strongest; auto mTLS (no mode) sits above SIMPLE and DISABLE.
    [InlineData("ISTIO_MUTUAL", "MUTUAL", false)]
    [InlineData("MUTUAL", "ISTIO_MUTUAL", false)]
    [InlineData("ISTIO_MUTUAL", "SIMPLE", true)]
    [InlineData("ISTIO_MUTUAL", "DISABLE", true)]
    [InlineData("ISTIO_MUTUAL", null, true)]
    [InlineData("SIMPLE", null, true)]
    [InlineData("SIMPLE", "DISABLE", true)]
    [InlineData("SIMPLE", "ISTIO_MUTUAL", false)]
    [InlineData(null, "DISABLE", true)]
    [InlineData(null, "SIMPLE", true)]
    [InlineData(null, "ISTIO_MUTUAL", false)]
    [InlineData("DISABLE", null, false)]
    [InlineData("DISABLE", "SIMPLE", false)]
    public void Weakens_RanksModesByWhatEnvoyThenDoes(string? before, string? after, bool weakened) =>
        Assert.Equal(weakened, TlsWeakenings.Weakens(before, after));

    [Fact]
    public void RemovingTheServiceWideMode_IsFoundForEverySubsetThatInheritedIt()
    {
        var found = Change(Mutual, Mutual.Replace(Q("{'tls': {'mode': 'ISTIO_MUTUAL'}, 'portLevelSettings"), Q("{'portLevelSettings")));

        // v2 has its own MUTUAL and port 9080 its own setting: neither is weakened.
        Assert.Equal(["DestinationRule bookinfo/reviews, all subsets: tls.mode ISTIO_MUTUAL → (none)",
                      "DestinationRule bookinfo/reviews, subset v1: tls.mode ISTIO_MUTUAL → (none)"], found);
    }

    [Fact]
    public void APortLevelDowngrade_IsNamedWithItsPort()
    {
        var found = Change(Mutual, Mutual.Replace(Q("{'number': 9080}, 'tls': {'mode': 'ISTIO_MUTUAL'}"), Q("{'number': 9080}, 'tls': {'mode': 'DISABLE'}")));

        Assert.Contains("DestinationRule bookinfo/reviews, port 9080: tls.mode ISTIO_MUTUAL → DISABLE", found);
        Assert.Contains("DestinationRule bookinfo/reviews, subset v1, port 9080: tls.mode ISTIO_MUTUAL → DISABLE", found);
        // v2's own mode overrides the rule's port-level setting, so v2 is not affected.
        Assert.DoesNotContain(found, f => f.Contains("subset v2"));
    }

    [Fact]
    public void ASubsetDowngrade_IsFoundEvenWhenTheRestStays()
    {
        var found = Change(Mutual, Mutual.Replace(Q("{'tls': {'mode': 'MUTUAL', 'credentialName': 'c'}}"), Q("{'tls': {'mode': 'SIMPLE', 'credentialName': 'c'}}")));

        Assert.Contains("DestinationRule bookinfo/reviews, subset v2: tls.mode MUTUAL → SIMPLE", found);
        // The subset's own mode also applies on the port the rule names; the rest of the rule is untouched.
        Assert.All(found, f => Assert.Contains("subset v2", f));
    }

    [Fact]
    public void DeletingTheDestinationRule_RemovesItsModes()
    {
        Assert.NotEmpty(Change(Mutual, null));
    }

    [Fact]
    public void AChangeThatLeavesTlsAlone_IsNotAWeakening()
    {
        Assert.Empty(Change(Mutual, Mutual.Replace("\"version\": \"v1\"", "\"version\": \"v1\", \"track\": \"stable\"")));
        Assert.Empty(Change(null, Mutual));
    }

    [Fact]
    public void RemovingASubset_RemovesItsTrafficNotItsTls()
    {
        var found = Change(Mutual, Mutual.Replace(Q(",\n                     {'name': 'v2', 'labels': {'version': 'v2'}, 'trafficPolicy': {'tls': {'mode': 'MUTUAL', 'credentialName': 'c'}}}"), ""));

        Assert.Empty(found);
    }

    [Fact]
    public void SetTrafficPolicy_OnlyAnOutlierEdit_KeepsTlsAndSoWeakensNothing()
    {
        var snapshot = MyAppDemo();
        var plan = new SetTrafficPolicy(MyApp, null, new TrafficPolicySettings(new OutlierDetectionSettings(Interval: "30s"))).Plan(snapshot);

        Assert.Empty(TlsWeakenings.In(plan.Changes));
    }
}
