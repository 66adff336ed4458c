using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class OverviewFilterTests
{
    private static readonly ServiceRow[] Rows = [.. ServiceCatalog.Build(DemoSnapshot.Build()).Select(ServiceRow.From)];

    [Fact]
    public void NoNamespacesChosen_ShowsEveryNamespace()
    {
        var rows = new OverviewFilter(null, [], WithInfrastructure: true).Apply(Rows);

        Assert.Equal(Rows.Select(r => r.Namespace).Distinct().Order(StringComparer.Ordinal), rows.Select(r => r.Namespace).Distinct());
        Assert.Equal("All namespaces", new OverviewFilter(null, []).NamespacesText);
    }

    [Fact]
    public void SeveralNamespaces_ShowExactlyThoseInNamespaceThenNameOrder()
    {
        var filter = new OverviewFilter(null, ["myapp", "bookinfo"]);

        var rows = filter.Apply(Rows);

        Assert.All(rows, r => Assert.Contains(r.Namespace, new[] { "bookinfo", "myapp" }));
        Assert.Contains(rows, r => r.Namespace == "myapp");
        Assert.Equal(rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal), rows);
        Assert.Equal("bookinfo, myapp", filter.NamespacesText);
    }

    [Fact]
    public void Search_MatchesSubsetNamesToo()
    {
        var rows = new OverviewFilter("v3", []).Apply(Rows);

        Assert.Contains(rows, r => r.Name == "reviews");
        Assert.DoesNotContain(rows, r => r.Name == "myapp");
    }

    [Theory]
    [InlineData("canary", "myapp")]
    [InlineData("Canary 25/75", "myapp")]
    [InlineData("blue/green", "myapp")]
    [InlineData("fault", "reviews")]
    [InlineData("dark launch", "reviews")]
    [InlineData("tester", "reviews")]
    public void Search_MatchesTheRoutingWordsAndBadgesTheRowShows(string search, string expected)
    {
        var rows = new OverviewFilter(search, []).Apply(Rows);

        Assert.Contains(rows, r => r.Name == expected);
        Assert.DoesNotContain(rows, r => r.Name is "ratings" or "details");
    }

    [Fact]
    public void Search_WithSeveralWords_NeedsEveryWord()
    {
        Assert.Contains(new OverviewFilter("reviews fault", []).Apply(Rows), r => r.Name == "reviews");
        Assert.Empty(new OverviewFilter("reviews blue/green", []).Apply(Rows));
    }

    [Fact]
    public void GatewaysAndSystemWorkloads_AreLeftOutUntilAskedFor()
    {
        var apps = new OverviewFilter(null, []).Apply(Rows);
        var all = new OverviewFilter(null, [], WithInfrastructure: true).Apply(Rows);

        Assert.DoesNotContain(apps, r => r.Name == "istio-ingressgateway");
        Assert.Contains(all, r => r.Name == "istio-ingressgateway" && r.Role == MeshDashboard.Mesh.Catalog.WorkloadRole.Gateway);
        Assert.Equal(all.Length - apps.Length, new OverviewFilter(null, []).InfrastructureMatching(Rows));
        Assert.Equal(0, new OverviewFilter("reviews", []).InfrastructureMatching(Rows));
    }

    [Fact]
    public void Search_FindsGatewaysByTheWordGateway()
    {
        var rows = new OverviewFilter("gateway", [], WithInfrastructure: true).Apply(Rows);

        Assert.Contains(rows, r => r.Name == "istio-ingressgateway");
    }
}
