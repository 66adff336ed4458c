using MeshDashboard.Mesh.Catalog;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Catalog;

public class ServiceCatalogTests
{
    private const string DemoReviewsVs = """
        {"hosts": ["reviews"], "http": [
          {"name": "tester", "match": [{"headers": {"end-user": {"exact": "tester"}}}],
           "fault": {"abort": {"percentage": {"value": 50}, "httpStatus": 503}},
           "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
          {"name": "default", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
        """;

    [Fact]
    public void Find_DescribesTheDarkLaunchInWords()
    {
        var service = ServiceCatalog.Find(Bookinfo(DemoReviewsVs), "bookinfo", "reviews")!;

        Assert.Equal("end-user: tester → v2 (50% aborted with 503); everyone else → v1", Assert.Single(service.RoutingSummary));
        Assert.True(service.Traits.HasFlag(RoutingTraits.DarkLaunch));
        Assert.True(service.Traits.HasFlag(RoutingTraits.Fault));
        Assert.Equal(3, service.Pods);
        Assert.Equal(3, service.Subsets.Length);
    }

    [Fact]
    public void Find_DescribesTheCanaryAsPercentages()
    {
        var service = ServiceCatalog.Find(MyAppDemo(), "myapp", "myapp")!;

        Assert.Equal("everyone → 25% v1, 75% v2", service.RoutingSummary[0]);
        Assert.Contains("25% v1, 75% v2", service.RoutingSummary[0], StringComparison.Ordinal);
        Assert.True(service.Traits.HasFlag(RoutingTraits.Canary));
        Assert.True(service.Traits.HasFlag(RoutingTraits.BlueGreen));
        Assert.Equal("myapp", service.MeshRoute!.VirtualService.Name);
        Assert.Equal(["myapp-gateway"], service.Gateways.Select(g => g.Name));
    }

    [Fact]
    public void Find_NamesHostAndGatewayOfGatewayRoutes()
    {
        var service = ServiceCatalog.Find(MyAppDemo(), "myapp", "myapp")!;

        Assert.Equal(
            ["everyone → 25% v1, 75% v2", "test.myapp.example.com via myapp-gateway: everyone → v1", "myapp.example.com via myapp-gateway: everyone → v2 · timeout 5s"],
            service.RoutingSummary);
    }

    [Fact]
    public void Build_AttachesFindingsToTheirService()
    {
        var services = ServiceCatalog.Build(MyAppDemo());

        var myapp = Assert.Single(services);
        Assert.Contains(myapp.Findings, f => f.Code == "MD010");
        Assert.Null(myapp.ManagedBy);
    }

    [Fact]
    public void LabelSpread_ListsThePodLabelsThatCouldMakeSubsets()
    {
        var service = Service("bookinfo", "ratings");
        var pods = new[] { Pod("bookinfo", "ratings", "blue", "track"), Pod("bookinfo", "ratings", "green", "track"), Pod("bookinfo", "ratings", "v1") };

        // app is the service's selector: every pod has the same value, so it cannot tell versions apart.
        Assert.Equal([new PodLabelSpread("track", 2), new PodLabelSpread("version", 1)], ServiceCatalog.LabelSpread(service, pods));
    }
}
