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
    public void CreateRouting_WritesADestinationRuleThenAVirtualService()
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
            {"hosts": ["ratings"], "http": [{"name": "default", "route": [{"destination": {"host": "ratings", "subset": "v1"}}]}]}
            """), vs.After!["spec"]), vs.After!["spec"].Json());
        Assert.Equal("ratings", vs.After.At("metadata.name")!.GetValue<string>());
        Assert.Equal("ratings: created routing (subsets v1, v2; all traffic to v1)", plan.Summary);
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
}
