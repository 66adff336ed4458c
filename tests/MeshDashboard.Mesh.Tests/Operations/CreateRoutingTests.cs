using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class CreateRoutingTests
{
    private static MeshSnapshot Ratings(params string[] versions) => Snapshot(
        [Service("bookinfo", "ratings"), .. versions.Select(v => Pod("bookinfo", "ratings", v))]);

    private static readonly ObjectRef RatingsRef = Svc("bookinfo", "ratings");

    [Fact]
    public void CreateRouting_WritesADestinationRuleThenAVirtualServiceThatKeepsTodaysSpread()
    {
        var plan = new CreateRouting(RatingsRef).Plan(Ratings("v2", "v1", "v2"));

        Assert.Equal(2, plan.Changes.Length);
        var dr = plan.Changes[0];
        var vs = plan.Changes[1];
        Assert.Equal(ResourceKind.DestinationRule, dr.Target.Kind);
        Assert.Null(dr.Before);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"host": "ratings", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
            """), dr.After!["spec"]), dr.After!["spec"].Json());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"hosts": ["ratings"], "http": [{"name": "default", "route": [
              {"destination": {"host": "ratings", "subset": "v1"}, "weight": 33},
              {"destination": {"host": "ratings", "subset": "v2"}, "weight": 67}]}]}
            """), vs.After!["spec"]), vs.After!["spec"].Json());
        Assert.Equal("ratings", vs.After.At("metadata.name")!.GetValue<string>());
        // Traffic keeps going where Kubernetes sends it now: one pod of v1, two of v2.
        Assert.Equal("ratings: created routing (subsets v1, v2; traffic as now: v1 33%, v2 67%)", plan.Summary);
    }

    [Fact]
    public void CreateRouting_SanitizesLabelValuesIntoSubsetNames()
    {
        var plan = new CreateRouting(RatingsRef).Plan(Ratings("Release_2.0", "release-2-0"));

        var subsets = plan.Changes[0].After.At("spec.subsets")!.AsArray();
        Assert.Equal(["release-2-0", "release-2-0-2"], subsets.Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal("Release_2.0", subsets[0].At("labels.version")!.GetValue<string>());
    }

    [Fact]
    public void CreateRouting_UsesTheGivenLabelKey()
    {
        var snapshot = Snapshot(Service("bookinfo", "ratings"), Pod("bookinfo", "ratings", "blue", "track"), Pod("bookinfo", "ratings", "green", "track"));

        var plan = new CreateRouting(RatingsRef, "track").Plan(snapshot);

        Assert.Equal("""[{"name":"blue","labels":{"track":"blue"}},{"name":"green","labels":{"track":"green"}}]""", plan.Changes[0].After.At("spec.subsets").Json());
    }

    [Fact]
    public void CreateRouting_RejectsAServiceThatHasADestinationRule()
    {
        FailsOn(new CreateRouting(Reviews), Bookinfo(vs: null), "service", "already has DestinationRule");
    }

    [Fact]
    public void CreateRouting_RejectsAServiceThatHasAVirtualService()
    {
        FailsOn(new CreateRouting(Reviews), Bookinfo(dr: null), "service", "already has VirtualService");
    }

    [Fact]
    public void CreateRouting_RejectsWhenNoPodHasTheLabel()
    {
        FailsOn(new CreateRouting(RatingsRef, "track"), Ratings("v1"), "labelKey", "no pod");
    }

    [Fact]
    public void CreateRouting_SendsNothingToASubsetWhosePodsAreNotReady()
    {
        var notReady = Pod("bookinfo", "ratings", "v2").CloneRaw();
        notReady["status"] = JsonNode.Parse("""{"conditions": [{"type": "Ready", "status": "False"}]}""");
        var snapshot = Snapshot(Service("bookinfo", "ratings"), Pod("bookinfo", "ratings", "v1"), new KubeObject(ResourceKind.Pod, notReady));

        var plan = new CreateRouting(RatingsRef).Plan(snapshot);

        Assert.Equal(2, plan.Changes[0].After.At("spec.subsets")!.AsArray().Count);
        Assert.Equal("""[{"destination":{"host":"ratings","subset":"v1"}}]""", plan.Changes[1].After.At("spec.http[0].route").Json());
    }
}
