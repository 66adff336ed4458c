using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SwitchBlueGreenTests
{
    private static string Served(MeshSnapshot snapshot, string vs) =>
        snapshot.Find(ResourceKind.VirtualService, "myapp", vs)!.Raw.At("spec.http[0].route[0].destination.subset")!.GetValue<string>();

    [Fact]
    public void SwitchBlueGreen_SwapsLiveAndPreviewInOnePlan()
    {
        var snapshot = MyAppDemo();

        var plan = new SwitchBlueGreen(MyApp, "v1").Plan(snapshot);

        Assert.Equal(2, plan.Changes.Length);
        var after = snapshot.Apply(plan);
        Assert.Equal("v1", Served(after, "myapp-public"));
        Assert.Equal("v2", Served(after, "myapp-preview"));
        Assert.Equal("myapp: blue/green switch to v1 (myapp-public → v1, myapp-preview → v2)", plan.Summary);
        Assert.Equal("v1", Served(snapshot, "myapp-preview"));
    }

    [Fact]
    public void SwitchBlueGreen_SwitchingBackRestoresTheStart()
    {
        var start = MyAppDemo();
        var switched = start.Apply(new SwitchBlueGreen(MyApp, "v1").Plan(start));

        var back = switched.Apply(new SwitchBlueGreen(MyApp, "v2").Plan(switched));

        foreach (var name in new[] { "myapp-public", "myapp-preview" })
        {
            Assert.Equal(start.Find(ResourceKind.VirtualService, "myapp", name)!.Raw.Json(), back.Find(ResourceKind.VirtualService, "myapp", name)!.Raw.Json());
        }
    }

    [Fact]
    public void SwitchBlueGreen_KeepsOtherFieldsAndLeavesTheMeshCanaryAlone()
    {
        var plan = new SwitchBlueGreen(MyApp, "v1").Plan(MyAppDemo());

        var publicChange = plan.Changes.Single(c => c.Target.Name == "myapp-public");
        Assert.Equal("5s", publicChange.After.At("spec.http[0].timeout")!.GetValue<string>());
        Assert.Equal("myapp", publicChange.After.At("spec.http[0].route[0].destination.host")!.GetValue<string>());
        Assert.DoesNotContain(plan.Changes, c => c.Target.Name == "myapp");
    }

    [Fact]
    public void SwitchBlueGreen_RejectsTheSubsetThatIsAlreadyLive()
    {
        FailsOn(new SwitchBlueGreen(MyApp, "v2"), MyAppDemo(), "targetSubset", "already live");
    }

    [Fact]
    public void SwitchBlueGreen_RejectsAnUndefinedSubset()
    {
        FailsOn(new SwitchBlueGreen(MyApp, "v7"), MyAppDemo(), "targetSubset", "not defined");
    }

    [Fact]
    public void SwitchBlueGreen_RequiresAGatewayBoundVirtualService()
    {
        FailsOn(new SwitchBlueGreen(Reviews, "v2"), Bookinfo(), "service", "no gateway-bound VirtualService");
    }

    [Fact]
    public void SwitchBlueGreen_WorksWithOnlyALiveVirtualService()
    {
        var snapshot = MyAppDemo().Without(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp-preview"));

        var change = new SwitchBlueGreen(MyApp, "v1").Plan(snapshot).Single();

        Assert.Equal("myapp-public", change.Target.Name);
        Assert.Equal("v1", change.After.At("spec.http[0].route[0].destination.subset")!.GetValue<string>());
    }

    [Fact]
    public void SwitchBlueGreen_TellsLiveFromPreviewByTheRoleAnnotation()
    {
        // Neutral names; the annotation says which host is the preview.
        var snapshot = MyAppDemo()
            .Without(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp-public"))
            .Without(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp-preview"))
            .With(Vs("myapp", "a", """{"hosts": ["a.example.com"], "gateways": ["myapp-gateway"], "http": [{"route": [{"destination": {"host": "myapp", "subset": "v1"}}]}]}""",
                """{"annotations": {"meshdashboard.io/blue-green": "preview"}}"""))
            .With(Vs("myapp", "b", """{"hosts": ["b.example.com"], "gateways": ["myapp-gateway"], "http": [{"route": [{"destination": {"host": "myapp", "subset": "v2"}}]}]}"""));

        var after = snapshot.Apply(new SwitchBlueGreen(MyApp, "v1").Plan(snapshot));

        Assert.Equal("v2", Served(after, "a"));
        Assert.Equal("v1", Served(after, "b"));
        FailsOn(new SwitchBlueGreen(MyApp, "v1"), after, "targetSubset", "already live");
    }

    [Fact]
    public void SwitchBlueGreen_RefusesWhenEveryGatewayVirtualServiceLooksLikeAPreview()
    {
        var snapshot = MyAppDemo().Without(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp-public"));

        FailsOn(new SwitchBlueGreen(MyApp, "v2"), snapshot, "service", "looks like a preview");
    }
}
