using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class RestoreObjectsTests
{
    private static readonly ObjectRef ReviewsVsRef = new(ResourceKind.VirtualService, "bookinfo", "reviews");
    private static readonly ObjectRef ReviewsDrRef = new(ResourceKind.DestinationRule, "bookinfo", "reviews");

    [Fact]
    public void RestoreObjects_BringsBackAnEarlierSpecGuardedByTheCurrentVersion()
    {
        var start = Bookinfo();
        var recorded = start.Find(ReviewsVsRef)!.CloneRaw();
        var edited = start.Apply(new SetWeights(Reviews, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }).Plan(start));
        var current = (JsonObject)edited.Find(ReviewsVsRef)!.CloneRaw();
        current["metadata"]!["resourceVersion"] = "101";
        edited = edited.With(new KubeObject(ResourceKind.VirtualService, current));

        var plan = new RestoreObjects(Reviews, "rollback to 12:00", [(ReviewsVsRef, recorded)]).Plan(edited);

        var change = plan.Single();
        Assert.Equal("rollback to 12:00", plan.Summary);
        Assert.Same(edited.Find(ReviewsVsRef), change.Before);
        Assert.Equal("101", change.After.At("metadata.resourceVersion")!.GetValue<string>());
        Assert.Equal("uid-reviews", change.After.At("metadata.uid")!.GetValue<string>());
        Assert.Equal(recorded["spec"].Json(), change.After!["spec"].Json());
    }

    [Fact]
    public void RestoreObjects_RestoresLabelsAndAnnotations()
    {
        var snapshot = Bookinfo();
        var recorded = snapshot.Find(ReviewsVsRef)!.CloneRaw();
        recorded["metadata"]!["labels"] = new JsonObject { ["team"] = "reviews" };
        ((JsonObject)recorded["metadata"]!).Remove("annotations");

        var change = new RestoreObjects(Reviews, "r", [(ReviewsVsRef, recorded)]).Plan(snapshot).Single();

        Assert.Equal("""{"team":"reviews"}""", change.After.At("metadata.labels").Json());
        Assert.Null(change.After.At("metadata.annotations"));
    }

    [Fact]
    public void RestoreObjects_LeavesOutObjectsAlreadyInTheRecordedState()
    {
        var snapshot = Bookinfo();
        var recorded = snapshot.Find(ReviewsVsRef)!.CloneRaw();
        recorded["metadata"]!["resourceVersion"] = "5";
        recorded["metadata"]!["managedFields"] = new JsonArray();

        var plan = new RestoreObjects(Reviews, "r", [(ReviewsVsRef, recorded), (ReviewsDrRef, snapshot.Find(ReviewsDrRef)!.CloneRaw())]).Plan(snapshot);

        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void RestoreObjects_RecreatesADeletedObjectWithoutServerMetadata()
    {
        var snapshot = Bookinfo();
        var recorded = snapshot.Find(ReviewsVsRef)!.CloneRaw();

        var change = new RestoreObjects(Reviews, "r", [(ReviewsVsRef, recorded)]).Plan(snapshot.Without(ReviewsVsRef)).Single();

        Assert.Null(change.Before);
        Assert.Null(change.After.At("metadata.resourceVersion"));
        Assert.Null(change.After.At("metadata.uid"));
        Assert.Equal("keep me", change.After.At("metadata.annotations.note")!.GetValue<string>());
        Assert.Equal(recorded["spec"].Json(), change.After!["spec"].Json());
    }

    [Fact]
    public void RestoreObjects_DeletesAnObjectThatDidNotExist()
    {
        var snapshot = Bookinfo();

        var change = new RestoreObjects(Reviews, "r", [(ReviewsVsRef, null)]).Plan(snapshot).Single();

        Assert.Same(snapshot.Find(ReviewsVsRef), change.Before);
        Assert.Null(change.After);
        Assert.Empty(new RestoreObjects(Reviews, "r", [(ReviewsVsRef, null)]).Plan(snapshot.Without(ReviewsVsRef)).Changes);
    }

    [Fact]
    public void RestoreObjects_UndoesACreateRouting()
    {
        var start = Snapshot(Service("bookinfo", "ratings"), Pod("bookinfo", "ratings", "v1"));
        var created = start.Apply(new CreateRouting(Svc("bookinfo", "ratings")).Plan(start));

        var plan = new RestoreObjects(Svc("bookinfo", "ratings"), "undo",
            [(new ObjectRef(ResourceKind.DestinationRule, "bookinfo", "ratings"), null), (new ObjectRef(ResourceKind.VirtualService, "bookinfo", "ratings"), null)]).Plan(created);

        Assert.Equal(2, plan.Changes.Length);
        Assert.All(plan.Changes, c => Assert.Null(c.After));
    }

    [Fact]
    public void RestoreObjects_RejectsNonIstioObjects()
    {
        FailsOn(new RestoreObjects(Reviews, "r", [(Reviews, null)]), Bookinfo(), "desired[0].ref", "not an Istio object");
    }

    [Fact]
    public void RestoreObjects_RejectsAStateOfAnotherObject()
    {
        var other = Bookinfo().Find(ReviewsVsRef)!.CloneRaw();

        FailsOn(new RestoreObjects(Reviews, "r", [(ReviewsVsRef with { Name = "other" }, other)]), Bookinfo(), "desired[0].state", "not bookinfo/other");
    }
}
