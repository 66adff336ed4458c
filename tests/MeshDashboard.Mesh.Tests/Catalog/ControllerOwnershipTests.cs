using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Catalog;

public class ControllerOwnershipTests
{
    [Fact]
    public void ManagedBy_SeesTheArgoRolloutAnnotation()
    {
        var vs = Vs("bookinfo", "reviews", ReviewsVs, """{"annotations": {"meshdashboard.io/argo-rollout": "reviews-rollout"}}""");

        Assert.Contains("Argo Rollouts (Rollout reviews-rollout)", ControllerOwnership.ManagedBy(vs), StringComparison.Ordinal);
    }

    [Fact]
    public void Rollout_NamingAVirtualServiceAndADestinationRule_MakesTheServiceManaged()
    {
        var rollout = Obj(Kubernetes.ResourceKind.Rollout, "bookinfo", "reviews-rollout",
            """{"strategy": {"canary": {"trafficRouting": {"istio": {"virtualService": {"name": "reviews"}, "destinationRule": {"name": "reviews"}}}}}}""");
        var snapshot = Bookinfo().With(rollout);

        var targets = ControllerOwnership.RolloutTargets(snapshot);
        var service = ServiceCatalog.Find(snapshot, "bookinfo", "reviews")!;

        Assert.Equal("reviews-rollout", targets[new(Kubernetes.ResourceKind.VirtualService, "bookinfo", "reviews")]);
        Assert.Equal("reviews-rollout", targets[new(Kubernetes.ResourceKind.DestinationRule, "bookinfo", "reviews")]);
        Assert.Contains("Rollout reviews-rollout", service.ManagedBy, StringComparison.Ordinal);
        Assert.Null(ServiceCatalog.Find(Bookinfo(), "bookinfo", "reviews")!.ManagedBy);
    }

    [Fact]
    public void ManagedBy_SeesTheManagedByLabel()
    {
        var dr = Dr("bookinfo", "reviews", ReviewsDr, """{"labels": {"app.kubernetes.io/managed-by": "flagger"}}""");

        Assert.Contains("flagger manages", ControllerOwnership.ManagedBy(dr), StringComparison.Ordinal);
        Assert.Null(ControllerOwnership.ManagedBy(Dr("bookinfo", "reviews", ReviewsDr, Meta)));
    }

    [Fact]
    public void Operations_RefuseToEditAVirtualServiceAnArgoRolloutRewrites()
    {
        var snapshot = Bookinfo().With(Vs("bookinfo", "reviews", ReviewsVs, """{"annotations": {"meshdashboard.io/argo-rollout": "reviews-rollout"}}"""));

        FailsOn(new RouteAllTo(Reviews, "v2"), snapshot, "service", "Argo Rollouts");
        Assert.Equal("Argo Rollouts (Rollout reviews-rollout) rewrites the weights of VirtualService reviews; it reverts edits made here.",
            ServiceCatalog.Find(snapshot, "bookinfo", "reviews")!.ManagedBy);
    }
}
